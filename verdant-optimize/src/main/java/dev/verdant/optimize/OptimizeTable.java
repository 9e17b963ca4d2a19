package dev.verdant.optimize;

import dev.verdant.report.console.ConsoleTable;
import dev.verdant.report.console.ConsoleTable.Column;
import java.util.List;
import java.util.Locale;

/** The console view of an {@link OptimizeResult}: every operating point, then the original against the chosen one. */
public final class OptimizeTable {

    private OptimizeTable() {
    }

    /** Every operating point, one row each, marking the tolerance, the Pareto front and the choice. */
    public static String candidates(OptimizeResult result) {
        StringBuilder out = new StringBuilder();
        String metric = result.chosen().candidate().quality() == null ? "quality"
                : result.kind() == SearchSpace.ModelKind.TEXT_ENCODER ? "min cos" : "accuracy";
        ConsoleTable table = new ConsoleTable(List.of(Column.left("candidate"), right("threads", 7),
                right(metric, 9), right("size MB", 9), right("ms/inf", 9), right("mJ/inf", 9),
                Column.left("tolerance").after("  "), Column.left("front").after("  "),
                Column.left("chosen").after("  ")), " ");
        for (OperatingPoint p : result.points()) {
            table.row(p.candidate().plan().id(), Integer.toString(p.measurement().threads()),
                    p.score() == null ? "-" : String.format(Locale.ROOT, "%.4f", p.score()),
                    String.format(Locale.ROOT, "%.2f", p.facts().bytes() / 1e6),
                    String.format(Locale.ROOT, "%.3f", p.measurement().millisPerInference()),
                    String.format(Locale.ROOT, "%.3f", p.measurement().energyJoulesPerInference() * 1e3),
                    p.meetsTolerance() ? "met" : "BROKEN", result.front().contains(p) ? "yes" : "",
                    p.equals(result.chosen()) ? "<==" : "");
        }
        table.lines().forEach(line -> out.append(line).append(System.lineSeparator()));
        out.append("Candidates' time and energy: the original's at that thread count, scaled by the ratios measured "
                + "side by side with it").append(System.lineSeparator());
        int width = table.width(0);
        for (CandidateResult c : result.candidates()) {
            if (!c.succeeded()) {
                out.append(String.format(Locale.ROOT, "%-" + width + "s not applicable: %s%n", c.plan().id(),
                        c.error()));
            }
        }
        return out.toString();
    }

    /** The original against the chosen point: size, latency, energy with its method, accuracy or fidelity. */
    public static String beforeAfter(OptimizeResult result) {
        OperatingPoint before = result.original();
        OperatingPoint after = result.chosen();
        StringBuilder out = new StringBuilder();
        String a = "original t" + before.measurement().threads();
        String b = after.name();
        // two spaces more than the longer name, so the two models' columns stand apart
        int width = Math.max(16, Math.max(a.length(), b.length()) + 2);
        ConsoleTable table = new ConsoleTable(List.of(Column.left("").atLeast(10), right(a, width), right(b, width),
                Column.left("").after("   ")), " ");
        table.row("size", mb(before.facts().bytes()), mb(after.facts().bytes()),
                ratio(before.facts().bytes(), after.facts().bytes(), "smaller", "larger"));
        table.row("latency", ms(before.measurement().millisPerInference()),
                ms(after.measurement().millisPerInference()), ratio(before.measurement().millisPerInference(),
                        after.measurement().millisPerInference(), "faster", "slower") + " per inference, batch "
                        + after.measurement().batchSize());
        table.row("energy", mj(before.measurement().energyJoulesPerInference()),
                mj(after.measurement().energyJoulesPerInference()),
                OptimizeReport.change(after.measurement().energyJoulesPerInference(),
                        before.measurement().energyJoulesPerInference()) + " per inference ("
                        + after.candidate().energyMethod() + ")");
        Quality q = after.candidate().quality();
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
        out.append(String.format(Locale.ROOT, "Tolerance  %s: %s%n", String.join("; ", result.tolerances()),
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
