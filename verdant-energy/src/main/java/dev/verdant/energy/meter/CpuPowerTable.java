package dev.verdant.energy.meter;

import dev.verdant.energy.FactTable;
import dev.verdant.energy.Power;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * CPU power figures by model ({@code cpu-power.csv}: TDP, cores and threads per socket, each row with its public
 * source and year), and the matching of a kernel's model string to a row.
 */
public final class CpuPowerTable {

    /**
     * One CPU's figures.
     *
     * @param modelPattern   the model name the row matches (contained in the normalised kernel string)
     * @param cpuFamily      for generic rows, the x86 family they stand for; -1 for exact models
     * @param tdp            thermal design power of one socket
     * @param cores          physical cores per socket
     * @param threads        hardware threads per socket
     * @param representative for generic rows, the part whose figures are used
     * @param source         where the figures were published
     * @param year           the year of that publication
     */
    public record CpuPower(String modelPattern, int cpuFamily, Power tdp, int cores, int threads,
                           String representative, String source, int year) {

        /** The power of one fully busy hardware thread: TDP shared evenly over the socket's threads. */
        public Power perThread() {
            return tdp.times(1.0 / threads);
        }

        public boolean generic() {
            return cpuFamily >= 0;
        }
    }

    /** Trademarks, clock speed, the words "CPU" and "Processor", runs of spaces: noise in kernel model strings. */
    private static final java.util.regex.Pattern NOISE =
            java.util.regex.Pattern.compile("\\(r\\)|\\(tm\\)|@.*$|\\bcpu\\b|\\bprocessor\\b");
    private static final java.util.regex.Pattern SPACES = java.util.regex.Pattern.compile("\\s+");

    private final List<CpuPower> rows;
    /** Each row's pattern, normalised once. */
    private final Map<CpuPower, String> patterns = new java.util.HashMap<>();

    private CpuPowerTable(List<CpuPower> rows) {
        this.rows = List.copyOf(rows);
        for (CpuPower row : this.rows) {
            patterns.put(row, normalise(row.modelPattern()));
        }
    }

    /** The table shipped with Verdant. */
    public static CpuPowerTable builtIn() {
        List<CpuPower> rows = new ArrayList<>();
        for (Map<String, String> row : FactTable.load(CpuPowerTable.class, "cpu-power.csv").rows()) {
            String family = row.get("cpu_family");
            rows.add(new CpuPower(row.get("model_pattern"), family.isEmpty() ? -1 : Integer.parseInt(family),
                    Power.ofWatts(FactTable.number(row, "tdp_watts")), (int) FactTable.number(row, "cores"),
                    (int) FactTable.number(row, "threads"), row.get("representative"), row.get("source"),
                    Integer.parseInt(row.get("year"))));
        }
        return new CpuPowerTable(rows);
    }

    public List<CpuPower> rows() {
        return rows;
    }

    /**
     * The row for a kernel model string: the longest exact pattern it contains; failing that, a generic row of the
     * same family (a VM that hides the model); failing that, empty.
     */
    public Optional<CpuPower> lookup(String kernelModel, int cpuFamily) {
        String model = normalise(kernelModel);
        Comparator<CpuPower> longest = Comparator.comparingInt(r -> r.modelPattern().length());
        Optional<CpuPower> exact = rows.stream()
                .filter(r -> !r.generic() && containsModel(model, patterns.get(r)))
                .max(longest);
        if (exact.isPresent()) {
            return exact;
        }
        return rows.stream()
                .filter(r -> r.generic() && r.cpuFamily() == cpuFamily && model.contains(patterns.get(r)))
                .max(longest);
    }

    /** The median per-thread power of the table: the figure used for a CPU nobody has listed. */
    public Power medianPerThread() {
        double[] watts = rows.stream().filter(r -> !r.generic()).mapToDouble(r -> r.perThread().watts()).sorted().toArray();
        int mid = watts.length / 2;
        return Power.ofWatts(watts.length % 2 == 1 ? watts[mid] : (watts[mid - 1] + watts[mid]) / 2);
    }

    /** Pattern match on whole tokens, so "EPYC 7543" does not match "EPYC 7543P"'s cousin "EPYC 75430". */
    private static boolean containsModel(String model, String pattern) {
        int at = model.indexOf(pattern);
        while (at >= 0) {
            int end = at + pattern.length();
            boolean boundary = end == model.length() || !Character.isLetterOrDigit(model.charAt(end))
                    || pattern.endsWith("+");
            if (boundary) {
                return true;
            }
            at = model.indexOf(pattern, at + 1);
        }
        return false;
    }

    /** Drops trademarks, "CPU", clock speed and repeated spaces: "Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz". */
    static String normalise(String model) {
        String noiseless = NOISE.matcher(model.toLowerCase(Locale.ROOT)).replaceAll(" ");
        return SPACES.matcher(noiseless).replaceAll(" ").strip();
    }
}
