import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.util.Locale;

/**
 * The issue-6 distillation figure from {@code verdant compress --json} reports: for each pair of runs of one student
 * (trained alone at alpha 0, and distilled), the share of the accuracy gap between the student alone and the teacher
 * that distillation recovers, (distilled - alone) / (teacher - alone), with the teacher's accuracy read from the same
 * reports (the compress check measures the original, here the teacher, on the same test images). Prints one row per
 * pair, then the means. args: alone.json:distilled.json ...
 */
public class GapRecovered {
    public static void main(String[] a) throws Exception {
        ObjectMapper json = new ObjectMapper();
        double sumAlone = 0;
        double sumDistilled = 0;
        double sumTeacher = 0;
        double sumRecovered = 0;
        System.out.println("| alone | distilled | teacher | gap recovered | MACs ratio | distillation energy |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
        for (String pair : a) {
            String[] files = pair.split(":");
            JsonNode alone = figures(json.readTree(new File(files[0])));
            JsonNode distilled = figures(json.readTree(new File(files[1])));
            double teacher = distilled.get("accuracy").get("original").asDouble();
            if (Math.abs(alone.get("accuracy").get("original").asDouble() - teacher) > 1e-9) {
                throw new IllegalArgumentException(pair + ": the two runs measured different teachers");
            }
            double before = alone.get("accuracy").get("compressed").asDouble();
            double after = distilled.get("accuracy").get("compressed").asDouble();
            double recovered = (after - before) / (teacher - before);
            JsonNode facts = distilled.get("steps").get(0).get("facts");
            System.out.printf(Locale.ROOT, "| %s %.2f %% | %s %.2f %% | %.2f %% | %.1f %% | %.3f | %.0f J |%n",
                    files[0], 100 * before, files[1], 100 * after, 100 * teacher, 100 * recovered,
                    facts.get("macsRatio").asDouble(), facts.get("distillEnergyJoules").asDouble());
            sumAlone += before;
            sumDistilled += after;
            sumTeacher += teacher;
            sumRecovered += recovered;
        }
        int n = a.length;
        double alone = sumAlone / n;
        double distilled = sumDistilled / n;
        double teacher = sumTeacher / n;
        System.out.printf(Locale.ROOT, "mean of %d: alone %.2f %%, distilled %.2f %%, teacher %.2f %%; gap recovered "
                + "%.1f %% (of the means), %.1f %% (mean of the pairs)%n", n, 100 * alone, 100 * distilled,
                100 * teacher, 100 * (distilled - alone) / (teacher - alone), 100 * sumRecovered / n);
    }

    /** A compress result's figures: under "compression" since schema 2, at the top level in older reports. */
    private static JsonNode figures(JsonNode result) {
        return result.has("compression") ? result.get("compression") : result;
    }
}
