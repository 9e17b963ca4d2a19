package dev.verdant.report.console;

import dev.verdant.report.Result;
import dev.verdant.report.Search;
import dev.verdant.report.Search.Candidate;
import dev.verdant.report.Search.Point;
import dev.verdant.report.Search.Quality;
import dev.verdant.report.console.ConsoleTable.Column;
import java.util.List;
import java.util.Locale;

/**
 * The console view of an optimize {@link Result}: every operating point, the original against the chosen one, then
 * what was written and how the search went.
 */
public final class SearchText {

    private SearchText() {
    }

    /** The whole result as aligned text lines. */
    public static String format(Result result) {
        Search search = result.search();
        String nl = System.lineSeparator();
        StringBuilder out = new StringBuilder();
        out.append(candidates(search)).append(nl);
        out.append(beforeAfter(search)).append(nl);
        if (!search.improved()) {
            out.append("No candidate beat the original on ").append(search.objective().label())
                    .append(" within tolerance; the original is written.").append(nl);
        }
        int threads = search.chosenPoint().threads();
        out.append(String.format(Locale.ROOT, "Wrote      %s (run it with %d intra-op thread%s)%n", search.modelOut(),
                threads, threads == 1 ? "" : "s"));
        out.append(String.format(Locale.ROOT, "Report     %s, %s%n", search.reportHtml(), search.reportJson()));
        if (search.executors() != null) {
            out.append("Measured   ").append(search.executors().describe()).append(nl);
        }
        int tried = search.candidates().size() - 1;
        out.append(String.format(Locale.ROOT, "Searched   %d candidate%s in %.0f s (%d resumed)%s%n", tried,
                tried == 1 ? "" : "s", result.run().durationSeconds(), search.resumed(), search.skipped().isEmpty()
                        ? "" : "; budget spent, untried: " + String.join(", ", search.skipped())));
        return out.toString();
    }

    /** Every operating point, one row each, marking the tolerance, the Pareto front and the choice. */
    public static String candidates(Search search) {
        StringBuilder out = new StringBuilder();
        String metric = search.candidateOf(search.chosenPoint()).quality() == null ? "quality"
                : Search.CLASSIFIER.equals(search.modelKind()) ? "accuracy" : "min cos";
        ConsoleTable table = new ConsoleTable(List.of(Column.left("candidate"), right("threads", 7),
                right(metric, 9), right("size MB", 9), right("ms/inf", 9), right("mJ/inf", 9),
                Column.left("tolerance").after("  "), Column.left("front").after("  "),
                Column.left("chosen").after("  ")), " ");
        for (Point p : search.points()) {
            Candidate c = search.candidateOf(p);
            Double score = c.quality() == null ? null : c.quality().score();
            table.row(p.candidate(), Integer.toString(p.threads()),
                    score == null ? "-" : String.format(Locale.ROOT, "%.4f", score),
                    String.format(Locale.ROOT, "%.2f", c.facts().bytes() / 1e6),
                    String.format(Locale.ROOT, "%.3f", p.millisPerInference()),
                    String.format(Locale.ROOT, "%.3f", p.energyJoulesPerInference() * 1e3),
                    p.meetsTolerance() ? "met" : "BROKEN", search.front().contains(p.name()) ? "yes" : "",
                    p.name().equals(search.chosen()) ? "<==" : "");
        }
        table.lines().forEach(line -> out.append(line).append(System.lineSeparator()));
        out.append("Candidates' time and energy: the original's at that thread count, scaled by the ratios measured "
                + "side by side with it").append(System.lineSeparator());
        int width = table.width(0);
        if (search.candidates().stream().anyMatch(c -> c.succeeded() && c.quality() != null
                && !c.quality().outputs().isEmpty())) {
            // the per-output lines say what each measure needed; whether they decide 'met' is the search's tolerance
            out.append("Each output against its tolerance; 'met' above is judged by: "
                    + String.join(" and ", search.tolerances())).append(System.lineSeparator());
        }
        for (Candidate c : search.candidates()) {
            if (!c.succeeded()) {
                out.append(String.format(Locale.ROOT, "%-" + width + "s not applicable: %s%n", c.id(), c.error()));
            } else if (c.quality() != null && !c.quality().outputs().isEmpty()) {
                // a model judged output by output: each output's measure beside what it needs
                out.append(String.format(Locale.ROOT, "%-" + width + "s %s%n", c.id(),
                        String.join("; ", c.quality().outputs())));
            }
        }
        return out.toString();
    }

    /** The original against the chosen point: size, latency, energy with its method, accuracy or fidelity. */
    static String beforeAfter(Search search) {
        Point before = search.originalPoint();
        Point after = search.chosenPoint();
        Candidate original = search.candidateOf(before);
        Candidate chosen = search.candidateOf(after);
        StringBuilder out = new StringBuilder();
        String a = "original t" + before.threads();
        String b = after.name();
        // two spaces more than the longer name, so the two models' columns stand apart
        int width = Math.max(16, Math.max(a.length(), b.length()) + 2);
        ConsoleTable table = new ConsoleTable(List.of(Column.left("").atLeast(10), right(a, width), right(b, width),
                Column.left("").after("   ")), " ");
        table.row("size", mb(original.facts().bytes()), mb(chosen.facts().bytes()),
                ratio(original.facts().bytes(), chosen.facts().bytes(), "smaller", "larger"));
        table.row("latency", ms(before.millisPerInference()), ms(after.millisPerInference()),
                ratio(before.millisPerInference(), after.millisPerInference(), "faster", "slower")
                        + " per inference, batch " + after.batchSize());
        table.row("energy", mj(before.energyJoulesPerInference()), mj(after.energyJoulesPerInference()),
                Units.change(after.energyJoulesPerInference(), before.energyJoulesPerInference())
                        + " per inference (" + chosen.energyMethod() + ")");
        Quality q = chosen.quality();
        if (q != null && q.accuracy() != null) {
            table.row("accuracy", pct(q.originalAccuracy()), pct(q.accuracy()),
                    String.format(Locale.ROOT, "%+.2f points over %d examples", (q.accuracy() - q.originalAccuracy())
                            * 100, q.examples()));
        } else if (q != null && q.minCosine() != null) {
            table.row("fidelity", "1", String.format(Locale.ROOT, "%.5f", q.minCosine()),
                    String.format(Locale.ROOT, "min cosine to the original (mean %.5f) over %d examples",
                            q.meanCosine(), q.examples()));
        }
        table.lines().forEach(line -> out.append(line).append(System.lineSeparator()));
        out.append(String.format(Locale.ROOT, "Tolerance  %s: %s%n", String.join("; ", search.tolerances()),
                after.meetsTolerance() ? "met" : "NOT met"));
        return out.toString();
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.2f MB", bytes / 1e6);
    }

    private static String ms(double millis) {
        return String.format(Locale.ROOT, "%.3f ms", millis);
    }

    private static String mj(double joules) {
        return String.format(Locale.ROOT, "%.3f mJ", joules * 1e3);
    }

    private static String pct(Double fraction) {
        return fraction == null ? "-" : String.format(Locale.ROOT, "%.2f%%", fraction * 100);
    }

    private static String ratio(double before, double after, String better, String worse) {
        if (after == before) {
            return "the same";
        }
        return after < before ? String.format(Locale.ROOT, "%.2fx %s", before / after, better)
                : String.format(Locale.ROOT, "%.2fx %s", after / before, worse);
    }

    private static Column right(String header, int width) {
        return Column.right(header).atLeast(width);
    }
}
