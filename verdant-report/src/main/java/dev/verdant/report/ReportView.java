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
import dev.verdant.report.Search.Point;
import dev.verdant.report.console.Units;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The HTML page's view of a {@link Result}, read from its typed parts: a bench result's measurements become one
 * candidate each, a compress result's original and compressed model two candidates, an optimize result's operating
 * points one candidate each, a track result its energy, CO2e and method as findings (see
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
        if (result.search() != null) {
            requireComplete(result.search(), origin);
            return ofSearch(result);
        }
        if (result.tracked() != null) {
            return ofTracked(result);
        }
        throw new IllegalArgumentException(origin + " is a " + result.kind() + " result without its figures");
    }

    /**
     * A track result as a report: no model and no candidate, the command's energy, CO2e and how they were obtained as
     * findings, beside the result's machine and energy basis.
     */
    private static Report ofTracked(Result result) {
        Tracked tracked = result.tracked();
        String command = String.join(" ", tracked.command());
        String method = result.energy() == null ? null : result.energy().method();
        List<String> findings = new ArrayList<>();
        findings.add(String.format(Locale.ROOT, "%s (exit %d) used %.4g J (%.4g kWh, IT energy x PUE)%s", command,
                tracked.exitCode(), tracked.energyJ(), tracked.energyKwh(),
                tracked.belowResolution() ? ": below the meters' resolution, too brief to measure" : ""));
        findings.add(String.format(Locale.ROOT, "emissions: %.4g g CO2e", tracked.co2eKg() * 1e3));
        findings.add("method: " + method + " (" + ("process".equals(tracked.trackingMode())
                ? "the command's process tree" : "the whole machine") + ")");
        return new Report(Report.KIND, Report.SCHEMA_VERSION, "verdant track: " + command, result.run(),
                result.machine(), List.of(), List.of(), List.of(), null, result.energy(), findings, result.notes());
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
                original.quantizedParams(), original.macs() / batch, null, null, original.bytesByType());
        ModelEntry compressedModel = new ModelEntry(output, "chosen", compressed.bytes(), compressed.params(),
                compressed.quantizedParams(), compressed.macs() / batch, null, null, compressed.bytesByType());

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
        for (Compression.OutputRow row : record.outputs()) {
            List<String> measures = new ArrayList<>();
            row.measures().forEach((name, value) -> measures.add(name + " " + HtmlText.number(value, 4)));
            findings.add(String.format(Locale.ROOT, "output %s (%s, %d examples): %s%s", row.output(), row.kind(),
                    row.examples(), String.join(", ", measures), row.passed() == null ? ""
                            : "; " + String.join(", ", row.tolerances()) + (row.byDefault() ? " (default)" : "")
                            + (row.passed() ? " held" : " FAILED")));
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

    /**
     * Refuses, with one line, an optimize result the page cannot be built from: no objective, a candidate without an
     * id or a built one without its facts, a point without a name or whose candidate is not listed, or a chosen or
     * original point that is not among the points (a hand-edited or truncated file).
     */
    private static void requireComplete(Search search, String origin) {
        String what = origin + " is an optimize result ";
        if (search.objective() == null) {
            throw new IllegalArgumentException(what + "without its objective");
        }
        Set<String> ids = new HashSet<>();
        for (Search.Candidate c : search.candidates()) {
            if (c == null || c.id() == null || (c.succeeded() && c.facts() == null)) {
                throw new IllegalArgumentException(what + "with a candidate missing its id or model facts");
            }
            ids.add(c.id());
        }
        Set<String> names = new HashSet<>();
        for (Point p : search.points()) {
            if (p == null || p.name() == null || !ids.contains(p.candidate())) {
                throw new IllegalArgumentException(what + "with an operating point missing its name or candidate");
            }
            names.add(p.name());
        }
        if (!names.contains(search.chosen()) || !names.contains(search.original())) {
            throw new IllegalArgumentException(what + "whose chosen or original operating point is not among its "
                    + "points");
        }
    }

    /**
     * An optimize result as a report: one candidate per operating point, every candidate model that could be built,
     * the chosen model's layers and Green AI card, and headline findings on the choice and the search.
     */
    private static Report ofSearch(Result result) {
        Search search = result.search();
        Point chosen = search.chosenPoint();
        Search.Candidate chosenModel = search.candidateOf(chosen);
        List<ModelEntry> models = new ArrayList<>();
        for (Search.Candidate c : search.candidates()) {
            if (!c.succeeded()) {
                continue;
            }
            String role = c.id().equals(chosen.candidate()) ? "chosen" : c.original() ? "original" : "candidate";
            Search.ModelFacts f = c.facts();
            models.add(new ModelEntry(c.id(), role, f.bytes(), f.params(), f.quantizedParams(), f.macs(), f.flops(),
                    null));
        }
        List<Candidate> candidates = new ArrayList<>();
        for (Point p : search.points()) {
            Search.Candidate c = search.candidateOf(p);
            candidates.add(new Candidate(p.name(), p.candidate(), configuration(p, c), score(c),
                    c.quality() == null ? null : c.quality().scoreMetric(), c.facts().bytes(), p.millisPerInference(),
                    p.p50Millis(), p.p99Millis(), p.inferencesPerSecond(),
                    p.peakResidentBytes() > 0 ? p.peakResidentBytes() : null, p.energyJoulesPerInference(),
                    p.co2eGramsPerMillionInferences(), c.energyMethod(), false));
        }
        Machine machine = result.machine();
        Search.ModelFacts f = chosenModel.facts();
        GreenAiCard card = new GreenAiCard(chosen.name(), score(chosenModel),
                chosenModel.quality() == null ? null : chosenModel.quality().scoreMetric(),
                f.params() + f.quantizedParams(), f.macs(), f.flops(), chosen.energyJoulesPerInference(),
                chosenModel.energyMethod(), chosen.co2eGramsPerMillionInferences(), null,
                machine == null ? null : machine.cpuModel() + ", " + chosen.threads() + " thread"
                        + (chosen.threads() == 1 ? "" : "s"));
        Report report = new Report(Report.KIND, Report.SCHEMA_VERSION, "verdant optimize: " + search.model(),
                result.run(), machine, models, candidates, search.layers(), card, result.energy(), findings(search),
                result.notes());
        return ParetoFront.choose(report.candidates()).map(o -> ParetoFront.flagged(report, o)).orElse(report);
    }

    /** The headline sentences of a search: what was chosen, against the original, and how the search went. */
    private static List<String> findings(Search search) {
        Point chosen = search.chosenPoint();
        Point before = search.originalPoint();
        Double chosenScore = score(search.candidateOf(chosen));
        Double beforeScore = score(search.candidateOf(before));
        List<String> findings = new ArrayList<>();
        Search.Objective objective = search.objective();
        findings.add(String.format(Locale.ROOT, "Chosen for %s: %s, %s against %s for the original at %d thread%s "
                        + "(%s).", objective.label(), chosen.name(), objective.format(chosen.objectiveValue()),
                objective.format(before.objectiveValue()), before.threads(), before.threads() == 1 ? "" : "s",
                Units.change(chosen.objectiveValue(), before.objectiveValue())));
        if (chosenScore != null && beforeScore != null) {
            findings.add(String.format(Locale.ROOT, "%s: %.4f, original %.4f; tolerance: %s.",
                    search.candidateOf(chosen).quality().scoreMetric(), chosenScore, beforeScore,
                    String.join("; ", search.tolerances())));
        }
        long met = search.candidates().stream().filter(c -> c.succeeded() && !c.original())
                .filter(c -> search.points().stream().anyMatch(p -> p.candidate().equals(c.id()) && p.meetsTolerance()))
                .count();
        long failed = search.candidates().stream().filter(c -> !c.succeeded()).count();
        int tried = search.candidates().size() - 1;
        findings.add(String.format(Locale.ROOT, "%d candidate%s tried (%d met the tolerance%s), %d operating points, "
                        + "%d on the Pareto front of quality, energy and size%s.", tried, tried == 1 ? "" : "s", met,
                failed > 0 ? ", " + failed + " could not be built" : "", search.points().size(),
                search.front().size(), search.skipped().isEmpty() ? ""
                        : "; the budget ended the search with " + search.skipped().size() + " untried"));
        return findings;
    }

    private static Double score(Search.Candidate candidate) {
        return candidate.quality() == null ? null : candidate.quality().score();
    }

    private static String configuration(Point p, Search.Candidate c) {
        return (c.original() ? "original" : c.id()) + ", " + p.threads() + " thread" + (p.threads() == 1 ? "" : "s")
                + ", batch " + p.batchSize();
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
