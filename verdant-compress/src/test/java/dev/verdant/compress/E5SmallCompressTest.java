package dev.verdant.compress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdant.onnx.BuiltinModel;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.report.Compression;
import dev.verdant.report.Compression.StepReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real e5-small-v2 (a second BERT-family encoder, exported by PyTorch at opset 11) through
 * {@code verdant compress e5-small --recipe int8-dynamic,unpad --min-fidelity 0.99} as the command runs it: default
 * WordNet glosses, 64 calibration and 256 check examples, ONNX Runtime comparing both models. One run (the fp32 model
 * is 133 MB), every assertion on its result.
 */
class E5SmallCompressTest {

    @TempDir
    static Path dir;
    private static Path output;
    private static Compression report;

    @BeforeAll
    static void compressOnce() {
        output = dir.resolve("e5-small-int8-unpad.onnx");
        CompressionRequest request = CompressionRequest.builder(BuiltinModel.E5_SMALL.modelName(), output,
                Recipe.parse("int8-dynamic,unpad")).optTolerances(null, 0.99).optLatencyRounds(0)
                .optMeasureEnergy(false).optVersion("test").build();
        report = Compressor.run(request).compression();
    }

    @Test
    void passesTheFidelityCheckOnRealTextsAndIsWritten() {
        assertThat(report.passed()).isTrue();
        assertThat(report.checks()).singleElement().satisfies(check -> {
            assertThat(check.name()).isEqualTo("min-fidelity");
            assertThat(check.actual()).isGreaterThanOrEqualTo(0.99);
        });
        assertThat(report.fidelity().examples()).isEqualTo(256);
        assertThat(report.fidelity().minCosine()).isGreaterThanOrEqualTo(0.99);
        assertThat(report.fidelity().meanCosine()).isGreaterThan(report.fidelity().minCosine());
        assertThat(output).isRegularFile();
    }

    @Test
    void isAtLeast3Point9TimesSmallerThanFp32() throws IOException {
        long fp32 = Files.size(BuiltinModel.E5_SMALL.modelFile());
        assertThat(Files.size(output) * 3.9).isLessThanOrEqualTo(fp32);
        assertThat(report.compressed().bytes()).isEqualTo(Files.size(output));
    }

    /** Every large table is int8: what stays float is norms, biases and smoothing scales, under 1% of the original. */
    @Test
    void leavesNoLargeTableInFloat() {
        Map<String, Long> before = report.original().bytesByType();
        Map<String, Long> after = report.compressed().bytesByType();
        assertThat(after.get("float")).isLessThan(before.get("float") / 100);
        assertThat(after.get("int8")).isGreaterThan(before.get("float") / 5);
        StepReport int8 = report.steps().get(0);
        assertThat(int8.facts().get("quantized")).isEqualTo(Map.of("Gather+DequantizeLinear", 2, "QAttention", 12,
                "DynamicQuantizeMatMul", 36));
    }

    /** Every fusion matched the opset-11 export, unpad rewrote all 12 attentions, and the model stayed at opset 11. */
    @Test
    void fusesAndUnpadsTheOpset11ExportKeepingItsOpset() {
        assertThat(report.steps().get(0).facts().get("fused")).isEqualTo(Map.of("LayerNormalization", 25,
                "SkipLayerNormalization", 24, "Gelu/BiasGelu", 12, "Attention", 12));
        assertThat(report.steps().get(1).facts()).containsEntry("attention",
                "12 x MultiHeadAttention over the longest real sequence");
        assertThat(OnnxGraph.of(OnnxModels.read(output)).opset()).isEqualTo(11);
    }
}
