package dev.verdant.report;

import dev.verdant.report.Benchmark.Comparison;
import dev.verdant.report.Benchmark.Measurement;
import dev.verdant.report.Compression.Check;
import dev.verdant.report.Compression.Latency;
import dev.verdant.report.Compression.ModelFigures;
import dev.verdant.report.Compression.StepReport;
import dev.verdant.report.Report.Candidate;
import dev.verdant.report.Report.GreenAiCard;
import dev.verdant.report.Report.LayerRow;
import dev.verdant.report.Report.ModelEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HTML page's view of a {@link Result}, read from its typed parts: a bench result's measurements become one
 * candidate each, a compress result's original and compressed model two candidates (see
 * {@code docs/report-format.md}).
 */
public final class ReportView {

    private ReportView() {
    }

    /**
     * The report of {@code result}.
     *
     * @throws IllegalArgumentException with one line when the result lacks the figures its kind needs; {@code origin}
     *                                  names it
     */
    public static Report of(Result result, String origin) {
        if (result.bench() != null) {
            return ofBench(result, origin);
        }
        if (result.compression() != null) {
            return ofCompression(result.compression(), result.run(), origin);
        }
        throw new IllegalArgumentException(origin + " is a " + result.kind() + " result without its figures");
    }

    /** A bench result as a report: its models, one candidate per measurement, comparisons as findings. */
    private static Report ofBench(Result result, String origin) {
        Benchmark bench = result.bench();
        if (bench.measurements().isEmpty()) {
            throw new IllegalArgumentException(origin + " is a bench result with no measurements");
        }
        Map<String, ModelEntry> models = new LinkedHashMap<>();
        for (Benchmark.ModelFacts m : bench.models()) {
            models.put(m.label(), new ModelEntry(m.label(), m.role(), m.bytes(), m.params(), m.quantizedParams(),
                    m.macs(), m.flops(), null));
        }
        String method = result.energy() == null ? null : result.energy().method();
        List<Candidate> candidates = new ArrayList<>();
        for (Measurement m : bench.measurements()) {
            ModelEntry entry = models.get(m.model());
            candidates.add(new Candidate(m.model() + " t" + m.threads() + " b" + m.batchSize(), m.model(),
                    "threads " + m.threads() + ", batch " + m.batchSize(), null, null,
                    entry == null ? null : entry.sizeBytes(), m.millisPerInference(),
                    m.latency() == null ? null : m.latency().p50Millis(),
                    m.latency() == null ? null : m.latency().p99Millis(), m.inferencesPerSecond(),
                    m.peakResidentBytes(), m.energyJoulesPerInference(), m.co2eGramsPerMillionInferences(), method,
                    false));
        }
        List<String> findings = new ArrayList<>();
        for (Comparison c : bench.comparisons()) {
            findings.add(String.format(Locale.ROOT, "threads %d, batch %d: %s runs %.2fx as fast as %s, at %.2fx the "
                    + "size and %.2fx the energy per inference", c.threads(), c.batchSize(), c.model(), c.speedup(),
                    c.baseline(), c.sizeRatio(), c.energyRatio()));
        }
        Candidate leanest = candidates.stream().filter(c -> c.energyJoulesPerInference() != null)
                .min(Comparator.comparingDouble(Candidate::energyJoulesPerInference)).orElse(candidates.get(0));
        if (leanest.energyJoulesPerInference() != null) {
            findings.add(String.format(Locale.ROOT, "least energy per inference: %s at %s, %.3g mJ (%s)",
                    leanest.model(), leanest.configuration(), leanest.energyJoulesPerInference() * 1e3, method));
        }
        Machine machine = result.machine();
        String tested = models.keySet().stream().findFirst().orElse(candidates.get(0).model());
        Candidate best = candidates.stream().filter(c -> c.model().equals(tested) && c.energyJoulesPerInference() != null)
                .min(Comparator.comparingDouble(Candidate::energyJoulesPerInference))
                .orElse(candidates.get(0));
        ModelEntry testedModel = models.get(tested);
        GreenAiCard card = new GreenAiCard(tested, null, null,
                testedModel == null ? null : sum(testedModel.params(), testedModel.quantizedParams()),
                testedModel == null ? null : testedModel.macs(), testedModel == null ? null : testedModel.flops(),
                best.energyJoulesPerInference(), method, best.co2eGramsPerMillionInferences(), null,
                (machine == null ? null : machine.cpuModel()) + ", " + (machine == null ? 0 : machine.logicalCpus())
                        + " CPUs (" + best.configuration() + ")");
        RunInfo run = result.run() != null ? result.run()
                : new RunInfo("verdant bench", null, null, 0, bench.settings() == null ? null
                        : bench.settings().inputDescription());
        String title = "Benchmark: " + String.join(" vs ", models.keySet());
        return new Report(Report.KIND, Report.SCHEMA_VERSION, title, run, machine, List.copyOf(models.values()),
                candidates, List.of(), card, result.energy(), findings, result.notes());
    }

    /**
     * A compress result as a report: the original and the compressed model as two candidates (accuracy on labelled
     * data, else cosine fidelity to the original, where the original scores 1 by definition), per-layer rows merged
     * from the passes' facts (sparsity from pruning, bits from weight sharing), and the tolerance checks as findings.
     */
    private static Report ofCompression(Compression record, RunInfo recorded, String origin) {
        ModelFigures original = record.original();
        ModelFigures compressed = record.compressed();
        if (original == null || compressed == null) {
            throw new IllegalArgumentException(origin + " is a compress record without original and compressed figures");
        }
        Latency latency = record.latency();
        // compress counts MACs for one batch of the shape it timed; the report's unit is one inference
        int batch = batchOf(latency);
        String input = record.input() == null ? "input" : record.input();
        String output = record.output() != null ? record.output() : input + " (compressed)";
        String recipe = record.recipe();
        ModelEntry originalModel = new ModelEntry(input, "original", original.bytes(), original.params(),
                original.quantizedParams(), original.macs() / batch, null, null);
        ModelEntry compressedModel = new ModelEntry(output, "chosen", compressed.bytes(), compressed.params(),
                compressed.quantizedParams(), compressed.macs() / batch, null, null);

        Compression.Accuracy accuracy = record.accuracy();
        Compression.Fidelity fidelity = record.fidelity();
        String metric = accuracy != null ? "top-1 accuracy" : fidelity != null ? "mean cosine fidelity" : null;
        Double originalScore = accuracy != null ? Double.valueOf(accuracy.original()) : fidelity != null ? 1.0 : null;
        Double compressedScore = accuracy != null ? Double.valueOf(accuracy.compressed())
                : fidelity != null ? Double.valueOf(fidelity.meanCosine()) : null;

        String configuration = latency != null ? "threads " + latency.threads() + ", batch "
                + (latency.batchShape() == null ? "?" : latency.batchShape()) : null;
        Compression.EnergyPerThousand energy = record.energy();
        String method = energy != null ? energy.method() : null;
        Candidate originalCandidate = candidate(input, "original", configuration, originalScore, metric,
                originalModel.sizeBytes(), latency == null ? null : latency.originalMillis() / batch,
                energy != null ? Double.valueOf(energy.originalJoules()) : null, method);
        Candidate compressedCandidate = candidate(output, recipe, configuration, compressedScore, metric,
                compressedModel.sizeBytes(), latency == null ? null : latency.compressedMillis() / batch,
                energy != null ? Double.valueOf(energy.compressedJoules()) : null, method);

        List<String> findings = new ArrayList<>();
        findings.add(String.format(Locale.ROOT, "recipe %s: %.2fx smaller%s", recipe, record.sizeRatio(),
                latency != null ? String.format(Locale.ROOT, ", %.2fx as fast", latency.speedup()) : ""));
        for (Check check : record.checks()) {
            findings.add(String.format(Locale.ROOT, "%s %s: limit %s, measured %s", check.name(),
                    check.passed() ? "held" : "FAILED", HtmlText.number(check.limit(), 4),
                    HtmlText.number(check.actual(), 4)));
        }
        GreenAiCard card = new GreenAiCard(output, compressedScore, metric,
                sum(compressedModel.params(), compressedModel.quantizedParams()), compressedModel.macs(), null,
                compressedCandidate.energyJoulesPerInference(), method, null, null, null);
        List<String> notes = new ArrayList<>();
        record.provenance().entrySet().forEach(e -> notes.add("provenance " + e.getKey() + ": " + e.getValue()));
        if (latency == null) {
            notes.add("MACs are for one batch of the checked input shape (the record has no timing to say its size)");
        }
        if (compressed.nodesWithUnknownCost() > 0) {
            notes.add("MACs are a lower bound: " + compressed.nodesWithUnknownCost()
                    + " nodes have no cost model (contrib ops)");
        }
        RunInfo run = recorded != null ? recorded : new RunInfo("verdant compress", null, null, 0, null);
        return new Report(Report.KIND, Report.SCHEMA_VERSION, "Compression: " + input + " with " + recipe, run, null,
                List.of(originalModel, compressedModel), List.of(originalCandidate, compressedCandidate),
                layers(record.steps()), card, null, findings, notes);
    }

    private static Candidate candidate(String name, String configuration, String runtime, Double score,
            String metric, Long bytes, Double millis, Double joulesPerThousand, String method) {
        String setting = configuration == null ? runtime : runtime == null ? configuration : configuration + "; " + runtime;
        return new Candidate(name, name, setting, score, metric, bytes, millis, null, null,
                millis == null || millis <= 0 ? null : 1000 / millis, null,
                joulesPerThousand == null ? null : joulesPerThousand / 1000, null, method, false);
    }

    /** The batch size of a compress record's timed shape ({@code 16x128} gives 16), 1 when it has none. */
    private static int batchOf(Latency latency) {
        if (latency == null || latency.batchShape() == null) {
            return 1;
        }
        try {
            return Math.max(1, Integer.parseInt(latency.batchShape().split("[x×,]")[0].strip()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** One row per weight tensor the passes reported, sparsity and bits merged from whichever pass gave them. */
    private static List<LayerRow> layers(List<StepReport> steps) {
        Map<String, LayerRow> rows = new LinkedHashMap<>();
        for (StepReport step : steps) {
            Object layers = step.facts() == null ? null : step.facts().get("layers");
            if (!(layers instanceof Collection<?> list)) {
                continue;
            }
            for (Object item : list) {
                if (!(item instanceof Map<?, ?> layer) || !(layer.get("tensor") instanceof String tensor)) {
                    continue;
                }
                LayerRow previous = rows.get(tensor);
                Double sparsity = layer.get("sparsity") instanceof Number n ? n.doubleValue() : null;
                Integer bits = layer.get("bits") instanceof Number n ? n.intValue() : null;
                Long params = layer.get("params") instanceof Number n ? n.longValue() : null;
                String op = layer.get("op") != null ? String.valueOf(layer.get("op"))
                        : previous == null ? null : previous.opType();
                rows.put(tensor, new LayerRow(tensor, op,
                        params != null ? params : previous == null ? null : previous.params(),
                        sparsity != null ? sparsity : previous == null ? null : previous.sparsity(),
                        bits != null ? bits : previous == null ? null : previous.bits(), null));
            }
        }
        return List.copyOf(rows.values());
    }

    private static Long sum(Long a, Long b) {
        return a == null ? b : b == null ? a : a + b;
    }
}
