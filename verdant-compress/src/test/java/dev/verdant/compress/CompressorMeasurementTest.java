package dev.verdant.compress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdant.onnx.OnnxModels;
import dev.verdant.report.Compression;
import dev.verdant.train.zoo.Zoo;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The check's latency and energy come from bench's side-by-side loop, as the request sets them. */
class CompressorMeasurementTest {

    @Test
    void latencyAndEnergyAreMeasuredSideBySideOnTheCheckBatch(@TempDir Path dir) {
        Path model = dir.resolve("mlp.onnx");
        OnnxModels.write(Zoo.imageClassifier("mlp", 10, 1.0, 1).build(), model);
        Path out = dir.resolve("out.onnx");
        CompressionRequest request = CompressionRequest.builder(model.toString(), out, Recipe.parse("int8-dynamic"))
                .optData("fashion-mnist-sample").optExamples(32, 32).optThreads(1).optLatencyRounds(7)
                .optVersion("test").build();

        Compression compression = Compressor.run(request).compression();

        assertThat(Files.isRegularFile(out)).isTrue();
        Compression.Latency latency = compression.latency();
        assertThat(latency.rounds()).isEqualTo(7);
        assertThat(latency.originalMillis()).isPositive();
        assertThat(latency.compressedMillis()).isPositive();
        assertThat(latency.speedup()).isCloseTo(latency.originalMillis() / latency.compressedMillis(),
                org.assertj.core.data.Offset.offset(1e-9));
        Compression.EnergyPerThousand energy = compression.energy();
        assertThat(energy.originalJoules()).isNotNegative().isFinite();
        assertThat(energy.compressedJoules()).isNotNegative().isFinite();
        assertThat(energy.method()).isNotBlank();
    }

    @Test
    void noRoundsAndNoEnergyMeasureNothing(@TempDir Path dir) {
        Path model = dir.resolve("mlp.onnx");
        OnnxModels.write(Zoo.imageClassifier("mlp", 10, 1.0, 1).build(), model);
        CompressionRequest request = CompressionRequest.builder(model.toString(), dir.resolve("out.onnx"),
                Recipe.parse("int8-dynamic")).optData("fashion-mnist-sample").optExamples(32, 32).optThreads(1)
                .optLatencyRounds(0).optMeasureEnergy(false).optVersion("test").build();

        Compression compression = Compressor.run(request).compression();

        assertThat(compression.latency()).isNull();
        assertThat(compression.energy()).isNull();
    }
}
