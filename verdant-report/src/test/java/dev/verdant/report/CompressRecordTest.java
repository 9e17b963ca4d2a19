package dev.verdant.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdant.report.Report.Candidate;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * A {@code verdant compress} record, laid out as {@code dev.verdant.compress.CompressionReport} serializes with the
 * CLI's snake_case mapper (pass facts keep their own keys), becomes a two-candidate report with per-layer rows.
 */
class CompressRecordTest {

    private static final String RECORD = """
            {
              "input": "minilm", "output": "minilm-pruned.onnx", "recipe": "prune:0.5,share:4",
              "steps": [
                {"step": "prune:0.5", "facts": {"sparsity": 0.5, "layers": [
                  {"tensor": "W1", "node": "/l0/MatMul", "op": "MatMul", "params": 1000, "zeros": 500, "sparsity": 0.5},
                  {"tensor": "W2", "node": "/l1/MatMul", "op": "MatMul", "params": 2000, "zeros": 500, "sparsity": 0.25}]}},
                {"step": "share:4", "facts": {"layers": [{"tensor": "W1", "op": "MatMul", "params": 1000, "bits": 4}]}}
              ],
              "original": {"bytes": 4000, "params": 3000, "quantized_params": 0, "macs": 96000,
                           "nodes_with_unknown_cost": 0, "nodes": 2, "bytes_by_type": {"float": 3900}},
              "compressed": {"bytes": 1000, "params": 3000, "quantized_params": 0, "macs": 96000,
                             "nodes_with_unknown_cost": 0, "nodes": 4, "bytes_by_type": {"float": 120, "int8": 750}},
              "size_ratio": 4.0,
              "latency": {"threads": 1, "batch_shape": "16x128", "original_millis": 160.0,
                          "compressed_millis": 80.0, "speedup": 2.0, "rounds": 20},
              "fidelity": {"min_cosine": 0.97, "mean_cosine": 0.99, "max_abs_diff": 0.1, "examples": 64},
              "accuracy": null,
              "energy": {"original_joules": 40.0, "compressed_joules": 25.0, "method": "estimated"},
              "sensitivity": [],
              "checks": [{"name": "min-fidelity", "limit": 0.98, "actual": 0.99, "passed": true}],
              "provenance": {"verdant.recipe": "prune:0.5,share:4"}
            }
            """;

    @Test
    void originalAndCompressedBecomeCandidatesWithPerInferenceFigures() {
        Report report = ReportJson.parse(RECORD, "compress.json");
        assertThat(report.candidates()).extracting(Candidate::name).containsExactly("minilm", "minilm-pruned.onnx");
        Candidate original = report.candidates().get(0);
        Candidate compressed = report.candidates().get(1);
        assertThat(original.accuracy()).isEqualTo(1.0);
        assertThat(compressed.accuracy()).isEqualTo(0.99);
        assertThat(compressed.accuracyMetric()).isEqualTo("mean cosine fidelity");
        assertThat(original.latencyMillis()).isCloseTo(160.0 / 16, within(1e-12));
        assertThat(compressed.energyJoulesPerInference()).isCloseTo(25.0 / 1000, within(1e-12));
        assertThat(compressed.sizeBytes()).isEqualTo(1000L);
        // compress counts MACs per batch of 16 (its timed shape 16x128); the report counts one inference
        assertThat(report.models()).allMatch(m -> m.macs() == 96000L / 16);
        assertThat(report.card().macs()).isEqualTo(6000L);
        assertThat(report.findings()).anyMatch(f -> f.contains("4.00x smaller") && f.contains("2.00x as fast"))
                .anyMatch(f -> f.startsWith("min-fidelity held"));
    }

    @Test
    void theModelsTableShowsTheStoredTensorsByTypeLargestFirst() {
        Report report = ReportJson.parse(RECORD, "compress.json");

        assertThat(report.models().get(1).bytesByType()).containsEntry("int8", 750L).containsEntry("float", 120L);
        String html = HtmlReport.render(report);
        assertThat(html).contains("<th class=\"text\">stored tensors by type</th>")
                .contains("float " + dev.verdant.report.console.Units.bytes(3900))
                .contains("int8 " + dev.verdant.report.console.Units.bytes(750) + ", float "
                        + dev.verdant.report.console.Units.bytes(120));
    }

    @Test
    void layerRowsMergeSparsityAndBitsAcrossPasses() {
        Report report = ReportJson.parse(RECORD, "compress.json");
        assertThat(report.layers()).hasSize(2);
        assertThat(report.layers().get(0).name()).isEqualTo("W1");
        assertThat(report.layers().get(0).sparsity()).isEqualTo(0.5);
        assertThat(report.layers().get(0).bits()).isEqualTo(4);
        assertThat(report.layers().get(1).bits()).isNull();
        String html = HtmlReport.render(report);
        assertThat(html).contains("<svg id=\"pareto-chart\"").contains("accuracy / fidelity (%)")
                .contains("<td>W1</td>").contains("50.00%");
    }

    /**
     * The record of a real run, {@code verdant compress minilm --recipe prune:0.5,share:5bit --out minilm-ps.onnx
     * --check 32 --calibration 16 --rounds 3 --json}: every figure it has reaches the report.
     */
    @Test
    void realCompressRecordRendersWithEveryPrunedLayer() throws Exception {
        String json;
        try (InputStream in = getClass().getResourceAsStream("compress-minilm-prune-share.json")) {
            json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        JsonNode record = new ObjectMapper().readTree(json);
        Report report = ReportJson.parse(json, "compress-minilm-prune-share.json");
        int batch = Integer.parseInt(record.at("/latency/batch_shape").asText().split("x")[0]);
        assertThat(report.models().get(0).macs()).isEqualTo(record.at("/original/macs").asLong() / batch);
        assertThat(report.models().get(1).sizeBytes()).isEqualTo(record.at("/compressed/bytes").asLong());
        assertThat(report.layers()).hasSize(record.at("/steps/0/facts/layers").size());
        assertThat(report.layers()).allMatch(l -> l.sparsity() != null && l.bits() != null);
        assertThat(report.candidates().get(1).accuracy()).isEqualTo(record.at("/fidelity/mean_cosine").asDouble());
        assertThat(report.candidates().get(1).energyJoulesPerInference())
                .isCloseTo(record.at("/energy/compressed_joules").asDouble() / 1000, within(1e-12));
        assertThat(report.notes()).anyMatch(n -> n.startsWith("provenance verdant.recipe: prune:0.5,share:5bit"));
        String html = HtmlReport.render(report);
        assertThat(html).contains("<svg id=\"pareto-chart\"").contains("id=\"layers\"")
                .contains(HtmlText.escape(record.at("/steps/0/facts/layers/1/tensor").asText()));
    }
}
