package dev.verdant.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verdant.data.BatchPadding;
import dev.verdant.onnx.BuiltinModel;
import dev.verdant.report.Compression;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@code verdant compress} pads the real sentences it checks and times an encoder on: each batch to its longest
 * text by default, as users' batches are, every batch to the sequence length on request, and said in the report;
 * and the calibration sets it refuses in one line before any work.
 */
class EncoderPaddingTest {

    @TempDir
    Path dir;

    private CompressionRequest.Builder fuse(String output) {
        return CompressionRequest.builder(BuiltinModel.MINILM.modelName(), dir.resolve(output), Recipe.parse("fuse"))
                .optExamples(16, 16).optThreads(1).optLatencyRounds(1).optMeasureEnergy(false).optVersion("test");
    }

    @Test
    void batchesArePaddedToTheirLongestTextByDefaultAndTheReportSaysSo() {
        Compression report = Compressor.run(fuse("longest.onnx").build()).compression();

        Matcher shape = Pattern.compile("16x(\\d+) padded to its longest text").matcher(report.latency().batchShape());
        assertThat(shape.matches()).as(report.latency().batchShape()).isTrue();
        // real glosses are far shorter than 128 tokens: the batch is cut at its longest one
        assertThat(Integer.parseInt(shape.group(1))).isBetween(3, 127);
        assertThat(report.provenance().get("verdant.compress.data"))
                .contains("padded to each batch's longest text (at most 128 tokens)");
        assertThat(report.fidelity().minCosine()).isGreaterThan(0.9999);
    }

    @Test
    void unpadsTokenOutputIsComparedAtRealTokensWhereItsPaddedPositionsAreZero() {
        Compression report = Compressor.run(CompressionRequest.builder(BuiltinModel.MINILM.modelName(),
                dir.resolve("unpad.onnx"), Recipe.parse("fuse,unpad")).optExamples(16, 16).optThreads(1)
                .optLatencyRounds(0).optMeasureEnergy(false).optVersion("test").build()).compression();

        // unpad writes 0 where the original returns whatever it computed at padded positions
        assertThat(report.fidelity().maxAbsDiff()).isGreaterThan(0.1);
        Compression.OutputRow tokens = report.outputs().get(0);
        assertThat(tokens.measures().get("cos")).as(tokens.toString()).isGreaterThan(0.9999);
        assertThat(tokens.measures().get("max-abs")).isEqualTo(report.fidelity().maxAbsDiffRealTokens());
        assertThat(tokens.passed()).isTrue();
    }

    @Test
    void paddingMaxPadsEveryBatchToTheSequenceLength() {
        Compression report = Compressor.run(fuse("max.onnx").optPadding(BatchPadding.MAX).optSequenceLength(40)
                .build()).compression();

        assertThat(report.latency().batchShape()).isEqualTo("16x40 padded to 40");
        assertThat(report.provenance().get("verdant.compress.data")).contains("padded or truncated to 40 tokens");
    }

    @Test
    void aCalibrationSetSmallerThanABatchIsOneLineBeforeAnyWork() {
        Path out = dir.resolve("small.onnx");
        assertThatThrownBy(() -> Compressor.run(CompressionRequest.builder(BuiltinModel.MINILM.modelName(), out,
                Recipe.parse("int8-dynamic")).optExamples(8, 16).optVersion("test").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the calibration set has 8 texts").hasMessageContaining("a batch of 16")
                .hasMessageNotContaining("\n");
        assertThat(out).doesNotExist();
    }

    @Test
    void textsThatAllTruncateAreOneLineBeforeAnyWork() {
        Path out = dir.resolve("cut.onnx");
        // two tokens hold [CLS] and [SEP] alone: every gloss is cut
        assertThatThrownBy(() -> Compressor.run(fuse("cut.onnx").optSequenceLength(2).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reaches --sequence-length 2 tokens, so all are truncated")
                .hasMessageNotContaining("\n");
        assertThat(out).doesNotExist();
    }
}
