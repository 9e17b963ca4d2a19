package dev.verdant.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.verdant.io.Json;
import dev.verdant.report.Report.Candidate;
import dev.verdant.report.Report.EnergyBasis;
import dev.verdant.report.Report.GreenAiCard;
import dev.verdant.report.Report.LayerRow;
import dev.verdant.report.Report.MachineInfo;
import dev.verdant.report.Report.ModelEntry;
import dev.verdant.report.Report.RunInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads and writes report JSON ({@code docs/report-format.md}): a native report ({@code kind = "report"}) maps onto
 * {@link Report} field by field; a {@code verdant bench} result ({@code kind = "bench"}) is turned into one, each
 * (model, threads, batch) measurement becoming a candidate. Keys are snake_case.
 */
public final class ReportJson {

    /** The {@code kind} of a {@code verdant compress} record (also recognized by its keys when it has no kind). */
    public static final String COMPRESS_KIND = "compress";

    private ReportJson() {
    }


    /** The report as JSON text. */
    public static String write(Report report) {
        try {
            return Json.mapper().writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Reads a results file of any kind this class knows.
     *
     * @throws IllegalArgumentException with one line when the file is missing, not JSON, or of an unknown kind
     */
    public static Report read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such results file: " + file, e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /** Parses results JSON; {@code origin} names it in errors. */
    public static Report parse(String json, String origin) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(origin + " is not valid JSON: " + e.getOriginalMessage() + " (line "
                    + e.getLocation().getLineNr() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(origin + " holds no JSON object");
        }
        String kind = root.path("kind").asText("");
        if (kind.isEmpty() && root.has("recipe") && root.has("original") && root.has("compressed")) {
            // verdant compress records carry no kind; their keys identify them
            kind = COMPRESS_KIND;
        }
        return switch (kind) {
            case Report.KIND -> fromNative(root, origin);
            case "bench" -> fromBench(root, origin);
            case COMPRESS_KIND -> fromCompress(root, origin);
            default -> throw new IllegalArgumentException(origin + " has kind '" + kind + "'; a results file has kind "
                    + "\"report\", \"bench\" or \"compress\" (see docs/report-format.md)");
        };
    }

    private static Report fromNative(JsonNode root, String origin) {
        try {
            Report report = Json.mapper().treeToValue(root, Report.class);
            if (report.title() == null) {
                throw new IllegalArgumentException(origin + " has no title");
            }
            return report;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(origin + " does not match the report schema: " + e.getOriginalMessage(), e);
        }
    }

    /** A bench result as a report: its models, one candidate per measurement, comparisons as findings. */
    static Report fromBench(JsonNode bench, String origin) {
        if (!bench.path("measurements").isArray() || bench.path("measurements").isEmpty()) {
            throw new IllegalArgumentException(origin + " is a bench result with no measurements");
        }
        Map<String, ModelEntry> models = new LinkedHashMap<>();
        for (JsonNode m : bench.path("models")) {
            String name = m.path("label").asText();
            models.put(name, new ModelEntry(name, m.path("role").asText(null), longOrNull(m, "bytes"),
                    longOrNull(m, "params"), longOrNull(m, "quantized_params"), longOrNull(m, "macs"),
                    longOrNull(m, "flops"), null));
        }
        JsonNode energy = bench.path("energy");
        String method = energy.path("method").asText(null);
        List<Candidate> candidates = new ArrayList<>();
        for (JsonNode m : bench.path("measurements")) {
            String model = m.path("model").asText();
            int threads = m.path("threads").asInt();
            int batch = m.path("batch_size").asInt();
            JsonNode latency = m.path("latency");
            ModelEntry entry = models.get(model);
            candidates.add(new Candidate(model + " t" + threads + " b" + batch, model,
                    "threads " + threads + ", batch " + batch, null, null, entry == null ? null : entry.sizeBytes(),
                    doubleOrNull(m, "millis_per_inference"), doubleOrNull(latency, "p50_millis"),
                    doubleOrNull(latency, "p99_millis"), doubleOrNull(m, "inferences_per_second"),
                    longOrNull(m, "peak_resident_bytes"), doubleOrNull(m, "energy_joules_per_inference"),
                    doubleOrNull(m, "co2e_grams_per_million_inferences"), method, false));
        }
        List<String> findings = new ArrayList<>();
        for (JsonNode c : bench.path("comparisons")) {
            findings.add(String.format(Locale.ROOT, "threads %d, batch %d: %s runs %.2fx as fast as %s, at %.2fx the "
                    + "size and %.2fx the energy per inference", c.path("threads").asInt(), c.path("batch_size").asInt(),
                    c.path("model").asText(), c.path("speedup").asDouble(), c.path("baseline").asText(),
                    c.path("size_ratio").asDouble(), c.path("energy_ratio").asDouble()));
        }
        Candidate leanest = candidates.stream().filter(c -> c.energyJoulesPerInference() != null)
                .min(Comparator.comparingDouble(Candidate::energyJoulesPerInference)).orElse(candidates.get(0));
        if (leanest.energyJoulesPerInference() != null) {
            findings.add(String.format(Locale.ROOT, "least energy per inference: %s at %s, %.3g mJ (%s)",
                    leanest.model(), leanest.configuration(), leanest.energyJoulesPerInference() * 1e3, method));
        }
        JsonNode machine = bench.path("machine");
        MachineInfo machineInfo = new MachineInfo(machine.path("cpu_model").asText(null),
                machine.path("logical_cpus").asInt(), machine.path("memory_bytes").asLong(),
                machine.path("os").asText(null), machine.path("jvm").asText(null),
                machine.path("onnx_runtime").asText(null));
        String tested = models.keySet().stream().findFirst().orElse(candidates.get(0).model());
        Candidate best = candidates.stream().filter(c -> c.model().equals(tested) && c.energyJoulesPerInference() != null)
                .min(Comparator.comparingDouble(Candidate::energyJoulesPerInference))
                .orElse(candidates.get(0));
        ModelEntry testedModel = models.get(tested);
        GreenAiCard card = new GreenAiCard(tested, null, null,
                testedModel == null ? null : sum(testedModel.params(), testedModel.quantizedParams()),
                testedModel == null ? null : testedModel.macs(), testedModel == null ? null : testedModel.flops(),
                best.energyJoulesPerInference(), method, best.co2eGramsPerMillionInferences(), null,
                machineInfo.cpu() + ", " + machineInfo.logicalCpus() + " CPUs (" + best.configuration() + ")");
        EnergyBasis basis = energy.isMissingNode() ? null : new EnergyBasis(method, energy.path("scope").asText(null),
                energy.path("pue").asDouble(1), energy.path("grid_grams_per_kilowatt_hour").asDouble(),
                energy.path("grid").asText(null), strings(energy.path("assumptions")));
        JsonNode settings = bench.path("settings");
        RunInfo run = new RunInfo("verdant bench", bench.path("command").asText(null),
                bench.path("started_at").asText(null), bench.path("duration_seconds").asDouble(),
                settings.path("input_description").asText(null));
        String title = "Benchmark: " + String.join(" vs ", models.keySet());
        return new Report(Report.KIND, Report.SCHEMA_VERSION, title, run, machineInfo, List.copyOf(models.values()),
                candidates, List.of(), card, basis, findings, strings(bench.path("notes")));
    }

    /**
     * A {@code verdant compress} record as a report: the original and the compressed model as two candidates (accuracy
     * on labelled data, else cosine fidelity to the original, where the original scores 1 by definition), per-layer
     * rows merged from the passes' facts (sparsity from pruning, bits from weight sharing), and the tolerance checks
     * as findings.
     */
    static Report fromCompress(JsonNode record, String origin) {
        JsonNode original = record.path("original");
        JsonNode compressed = record.path("compressed");
        if (!original.isObject() || !compressed.isObject()) {
            throw new IllegalArgumentException(origin + " is a compress record without original and compressed figures");
        }
        // compress counts MACs for one batch of the shape it timed; the report's unit is one inference
        int macsBatch = batchOf(record.path("latency"));
        String input = record.path("input").asText("input");
        String output = record.path("output").isTextual() ? record.path("output").asText() : input + " (compressed)";
        String recipe = record.path("recipe").asText(null);
        ModelEntry originalModel = new ModelEntry(input, "original", longOrNull(original, "bytes"),
                longOrNull(original, "params"), longOrNull(original, "quantized_params"),
                perSample(longOrNull(original, "macs"), macsBatch), null, null);
        ModelEntry compressedModel = new ModelEntry(output, "chosen", longOrNull(compressed, "bytes"),
                longOrNull(compressed, "params"), longOrNull(compressed, "quantized_params"),
                perSample(longOrNull(compressed, "macs"), macsBatch), null, null);

        JsonNode accuracy = record.path("accuracy");
        JsonNode fidelity = record.path("fidelity");
        String metric = accuracy.isObject() ? "top-1 accuracy" : fidelity.isObject() ? "mean cosine fidelity" : null;
        Double originalScore = accuracy.isObject() ? doubleOrNull(accuracy, "original") : fidelity.isObject() ? 1.0 : null;
        Double compressedScore = accuracy.isObject() ? doubleOrNull(accuracy, "compressed")
                : fidelity.isObject() ? doubleOrNull(fidelity, "mean_cosine") : null;

        JsonNode latency = record.path("latency");
        int batch = batchOf(latency);
        String configuration = latency.isObject() ? "threads " + latency.path("threads").asInt() + ", batch "
                + latency.path("batch_shape").asText("?") : null;
        JsonNode energy = record.path("energy");
        String method = energy.isObject() ? energy.path("method").asText(null) : null;
        Candidate originalCandidate = compressCandidate(input, "original", configuration, originalScore, metric,
                originalModel.sizeBytes(), perInference(latency, "original_millis", batch),
                energy.isObject() ? doubleOrNull(energy, "original_joules") : null, method);
        Candidate compressedCandidate = compressCandidate(output, recipe, configuration, compressedScore, metric,
                compressedModel.sizeBytes(), perInference(latency, "compressed_millis", batch),
                energy.isObject() ? doubleOrNull(energy, "compressed_joules") : null, method);

        List<String> findings = new ArrayList<>();
        findings.add(String.format(Locale.ROOT, "recipe %s: %.2fx smaller%s", recipe, record.path("size_ratio").asDouble(),
                latency.isObject() ? String.format(Locale.ROOT, ", %.2fx as fast", latency.path("speedup").asDouble())
                        : ""));
        for (JsonNode check : record.path("checks")) {
            findings.add(String.format(Locale.ROOT, "%s %s: limit %s, measured %s", check.path("name").asText(),
                    check.path("passed").asBoolean() ? "held" : "FAILED", HtmlText.number(check.path("limit").asDouble(), 4),
                    HtmlText.number(check.path("actual").asDouble(), 4)));
        }
        GreenAiCard card = new GreenAiCard(output, compressedScore, metric,
                sum(compressedModel.params(), compressedModel.quantizedParams()), compressedModel.macs(), null,
                compressedCandidate.energyJoulesPerInference(), method, null, null, null);
        List<String> notes = new ArrayList<>();
        record.path("provenance").properties().forEach(e -> notes.add("provenance " + e.getKey() + ": "
                + e.getValue().asText()));
        if (!latency.isObject()) {
            notes.add("MACs are for one batch of the checked input shape (the record has no timing to say its size)");
        }
        if (compressed.path("nodes_with_unknown_cost").asInt() > 0) {
            notes.add("MACs are a lower bound: " + compressed.path("nodes_with_unknown_cost").asInt()
                    + " nodes have no cost model (contrib ops)");
        }
        RunInfo run = new RunInfo("verdant compress", null, null, 0, null);
        return new Report(Report.KIND, Report.SCHEMA_VERSION, "Compression: " + input + " with " + recipe, run, null,
                List.of(originalModel, compressedModel), List.of(originalCandidate, compressedCandidate),
                compressLayers(record.path("steps")), card, null, findings, notes);
    }

    private static Candidate compressCandidate(String name, String configuration, String runtime, Double score,
            String metric, Long bytes, Double millis, Double joulesPerThousand, String method) {
        String setting = configuration == null ? runtime : runtime == null ? configuration : configuration + "; " + runtime;
        return new Candidate(name, name, setting, score, metric, bytes, millis, null, null,
                millis == null || millis <= 0 ? null : 1000 / millis, null,
                joulesPerThousand == null ? null : joulesPerThousand / 1000, null, method, false);
    }

    /** The batch size of a compress record's timed shape ({@code 16x128} gives 16), 1 when it has none. */
    private static int batchOf(JsonNode latency) {
        if (!latency.isObject()) {
            return 1;
        }
        try {
            return Math.max(1, Integer.parseInt(latency.path("batch_shape").asText("1").split("[x×,]")[0].strip()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static Long perSample(Long perBatch, int batch) {
        return perBatch == null ? null : perBatch / batch;
    }

    private static Double perInference(JsonNode latency, String field, int batch) {
        Double millis = latency.isObject() ? doubleOrNull(latency, field) : null;
        return millis == null ? null : millis / batch;
    }

    /** One row per weight tensor the passes reported, sparsity and bits merged from whichever pass gave them. */
    private static List<LayerRow> compressLayers(JsonNode steps) {
        Map<String, LayerRow> rows = new LinkedHashMap<>();
        for (JsonNode step : steps) {
            for (JsonNode layer : step.path("facts").path("layers")) {
                String tensor = layer.path("tensor").asText(null);
                if (tensor == null) {
                    continue;
                }
                LayerRow previous = rows.get(tensor);
                Double sparsity = doubleOrNull(layer, "sparsity");
                Integer bits = layer.path("bits").isNumber() ? layer.path("bits").asInt() : null;
                rows.put(tensor, new LayerRow(tensor, layer.path("op").asText(previous == null ? null : previous.opType()),
                        longOrNull(layer, "params") != null ? longOrNull(layer, "params")
                                : previous == null ? null : previous.params(),
                        sparsity != null ? sparsity : previous == null ? null : previous.sparsity(),
                        bits != null ? bits : previous == null ? null : previous.bits(), null));
            }
        }
        return List.copyOf(rows.values());
    }

    private static Long sum(Long a, Long b) {
        return a == null ? b : b == null ? a : a + b;
    }

    private static Long longOrNull(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNumber() ? value.asLong() : null;
    }

    private static Double doubleOrNull(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNumber() ? value.asDouble() : null;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
