package dev.verdant.report.console;

import dev.verdant.report.Compression;
import dev.verdant.report.Compression.Check;
import dev.verdant.report.Compression.Fidelity;
import dev.verdant.report.Compression.LayerSensitivity;
import dev.verdant.report.Compression.StepReport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The console form of a {@code verdant compress} result (the {@code --json} form is the record itself): each recipe
 * step with its facts laid out by {@link FactsText}, then the original and compressed models side by side.
 */
public final class CompressionText {

    private static final String FACT_INDENT = "    ";

    private CompressionText() {
    }

    /** Prints {@code report} to {@code console}. */
    public static void print(PrintWriter console, Compression r) {
        console.printf(Locale.ROOT, "Recipe     %s%n", r.recipe());
        for (StepReport step : r.steps()) {
            console.printf(Locale.ROOT, "  %s%n", step.step());
            FactsText.lines(step.facts(), FACT_INDENT).forEach(console::println);
        }
        console.printf(Locale.ROOT, "%n%-12s %14s %14s%n", "", "original", "compressed");
        console.printf(Locale.ROOT, "%-12s %14s %14s   %.2fx smaller%n", "size", Units.bytes(r.original().bytes()),
                Units.bytes(r.compressed().bytes()), r.sizeRatio());
        bytesByTypeRows(r).forEach(console::println);
        console.printf(Locale.ROOT, "%-12s %14s %14s%s%n", "params", Units.count(r.original().params()),
                Units.count(r.compressed().params()), integerParams(r));
        console.printf(Locale.ROOT, "%-12s %14s %14s%s%n", "MACs", Units.count(r.original().macs()),
                Units.count(r.compressed().macs()), macsNote(r));
        console.printf(Locale.ROOT, "%-12s %14d %14d%n", "nodes", r.original().nodes(), r.compressed().nodes());
        if (r.latency() != null) {
            console.printf(Locale.ROOT, "%-12s %11.1f ms %11.1f ms   %.2fx faster (batch %s, %d threads, median of %d, "
                    + "alternating)%n", "latency", r.latency().originalMillis(), r.latency().compressedMillis(),
                    r.latency().speedup(), r.latency().batchShape(), r.latency().threads(), r.latency().rounds());
        }
        if (r.energy() != null) {
            console.printf(Locale.ROOT, "%-12s %12.1f J %12.1f J   per 1,000 inferences (%s)%n", "energy",
                    r.energy().originalJoules(), r.energy().compressedJoules(), r.energy().method());
        }
        if (r.accuracy() != null) {
            // the margin says how far the difference can be from what all the data would give, on this many examples
            OptionalDouble marginPoints = r.accuracy().marginPoints();
            String margin = marginPoints.isPresent()
                    ? String.format(Locale.ROOT, " +- %.2f", marginPoints.getAsDouble()) : "";
            console.printf(Locale.ROOT, "%-12s %14s %14s   %+.2f%s points over %d examples%s%n", "accuracy",
                    Units.percent(r.accuracy().original()), Units.percent(r.accuracy().compressed()),
                    0.0 - r.accuracy().dropPoints(), margin, r.accuracy().examples(), // 0 prints +0.00, not -0.00
                    margin.isEmpty() ? "" : " (95% interval, paired)");
        }
        Fidelity f = r.fidelity();
        if (f != null) {
            String realTokens = f.maxAbsDiffRealTokens() == f.maxAbsDiff() ? ""
                    : String.format(Locale.ROOT, " (%.3g at real tokens)", f.maxAbsDiffRealTokens());
            console.printf(Locale.ROOT, "%-12s min cosine %.5f, mean %.5f, max abs diff %.3g%s over %d examples%n",
                    "fidelity", f.minCosine(), f.meanCosine(), f.maxAbsDiff(), realTokens, f.examples());
        }
        outputRows(r).forEach(console::println);
        if (!r.sensitivity().isEmpty()) {
            console.printf(Locale.ROOT, "%nSensitivity (each layer quantized alone; most sensitive first)%n");
            for (LayerSensitivity layer : r.sensitivity()) {
                console.printf(Locale.ROOT, "  %.5f min cosine  %.5f mean  %-10s %s%n", layer.minCosine(),
                        layer.meanCosine(), layer.opType(), layer.node());
            }
        }
        for (Check check : r.checks()) {
            console.printf(Locale.ROOT, "%nCheck      %s %s: %s%n", check.name(), check.limit(),
                    check.passed() ? "held" : "FAILED");
        }
        console.printf(Locale.ROOT, "%s%n", r.output() != null ? "Wrote      " + r.output() : "Nothing written");
    }

    /**
     * One line per output: its measures against the original's, its tolerance (marked when it is the default of
     * the output's kind) and whether it held; none when no output was compared.
     */
    static List<String> outputRows(Compression r) {
        if (r.outputs().isEmpty()) {
            return List.of();
        }
        ConsoleTable table = new ConsoleTable(List.of(ConsoleTable.Column.left("output"),
                ConsoleTable.Column.left("kind"), ConsoleTable.Column.left("measures"),
                ConsoleTable.Column.left("tolerance"), ConsoleTable.Column.left("result")), "  ");
        for (Compression.OutputRow row : r.outputs()) {
            List<String> measures = new ArrayList<>();
            row.measures().forEach((name, value) -> measures.add(name + " " + String.format(Locale.ROOT, "%.4g",
                    value)));
            String tolerance = row.tolerances().isEmpty() ? "-" : String.join(", ", row.tolerances())
                    + (row.byDefault() ? " (default)" : "");
            table.row(row.output(), row.kind(), String.join("  ", measures), tolerance,
                    row.passed() == null ? "-" : row.passed() ? "pass" : "FAIL");
        }
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add(String.format(Locale.ROOT, "Outputs (over %d examples%s)", r.outputs().get(0).examples(),
                r.outputs().get(0).byDefault() ? "; default tolerances are shown, not enforced" : ""));
        table.lines().forEach(line -> lines.add("  " + line));
        return lines;
    }

    /**
     * Under the size row, the stored tensors' bytes by element type in both models, largest in the original first,
     * so that a table left in float after quantizing shows; none for a record written before they were recorded.
     */
    static List<String> bytesByTypeRows(Compression r) {
        Map<String, Long> before = r.original().bytesByType();
        Map<String, Long> after = r.compressed().bytesByType();
        if (before.isEmpty() && after.isEmpty()) {
            return List.of();
        }
        Set<String> types = new LinkedHashSet<>();
        before.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> types.add(e.getKey()));
        after.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> types.add(e.getKey()));
        List<String> rows = new ArrayList<>();
        String note = "   stored tensors by type";
        for (String type : types) {
            rows.add(String.format(Locale.ROOT, "  %-10s %14s %14s%s", type, Units.bytes(before.getOrDefault(type, 0L)),
                    Units.bytes(after.getOrDefault(type, 0L)), note));
            note = "";
        }
        return rows;
    }

    /** The params row counts float parameters; integer ones (8-bit or narrower) are named after it. */
    private static String integerParams(Compression r) {
        List<String> parts = new ArrayList<>();
        if (r.original().quantizedParams() > 0) {
            parts.add(Units.count(r.original().quantizedParams()) + " in the original");
        }
        if (r.compressed().quantizedParams() > 0) {
            parts.add(Units.count(r.compressed().quantizedParams()) + " in the compressed");
        }
        return parts.isEmpty() ? "" : "   float; integer (8-bit or narrower): " + String.join(", ", parts);
    }

    /**
     * What the MACs row counts, said where it matters: the cost model counts a product the same whether it runs in
     * float or int8, and at the shape of the check batch, padding included, so it does not show what {@code unpad}
     * saves.
     */
    static String macsNote(Compression r) {
        List<String> notes = new ArrayList<>();
        notes.add(r.latency() != null ? "per batch of " + r.latency().batchShape() : "per check batch");
        if (r.original().quantizedParams() > 0 || r.compressed().quantizedParams() > 0) {
            notes.add("float and int8 products counted alike");
        }
        if (r.steps().stream().anyMatch(step -> step.step().equals("unpad"))) {
            notes.add("at the padded shape: what unpad skips is still counted");
        }
        int unknown = r.compressed().nodesWithUnknownCost();
        if (unknown > 0) {
            notes.add(unknown + " fused/contrib nodes not counted");
        }
        return "   " + String.join("; ", notes);
    }
}
