package dev.verdant.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.energy.Tracker;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.BuiltinModel;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.onnx.build.Dim;
import dev.verdant.onnx.build.OnnxModelBuilder;
import dev.verdant.report.Benchmark.Comparison;
import dev.verdant.report.Benchmark.Measurement;
import dev.verdant.report.Benchmark.ModelFacts;
import dev.verdant.report.Result;
import dev.verdant.runtime.FeatureFeed;
import dev.verdant.data.BatchPadding;
import dev.verdant.runtime.Feed;
import dev.verdant.runtime.SyntheticFeed;
import dev.verdant.runtime.TextFeed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real runs in ONNX Runtime: the built-in MiniLM models on WordNet glosses, and a small image model on Fashion-MNIST. */
class BenchRunnerTest {

    @TempDir
    Path dir;

    private final List<String> progress = new ArrayList<>();

    private BenchRunner runner() {
        return new BenchRunner(Tracker.builder().build(), ProcessMemory.current(), progress::add);
    }

    private static TextFeed wordnetSentences(BuiltinModel model) {
        return (TextFeed) Feed.fromData("wordnet-nouns", model.tokenizerFile(), 32, BatchPadding.LONGEST, 16, 1);
    }

    @Test
    void sideBySideMeasuresBothModelsAtEveryConfigurationAndComparesThem() throws Exception {
        BenchConfig config = BenchConfig.builder().optBatchSizes(List.of(1, 2)).optWarmupRuns(1).optMeasuredRuns(4)
                .optRunsPerBlock(2).build();
        List<BenchModel> models = List.of(BenchModel.of("minilm-int8", BenchModel.Role.MODEL),
                BenchModel.of("minilm", BenchModel.Role.BASELINE));

        Result result = runner().run(models, wordnetSentences(BuiltinModel.MINILM_INT8), config);

        assertThat(result.kind()).isEqualTo("bench");
        assertThat(result.bench().settings().inputKind()).isEqualTo("data");
        assertThat(result.bench().measurements()).hasSize(4);
        assertThat(progress).hasSize(2);
        for (Measurement m : result.bench().measurements()) {
            assertThat(m.latency().runs()).isEqualTo(4);
            assertThat(m.latency().minMillis()).isPositive();
            assertThat(m.inferencesPerSecond())
                    .isCloseTo(m.batchSize() * 4 / m.latency().totalSeconds(), within(1e-6 * m.inferencesPerSecond()));
            assertThat(m.millisPerInference()).isCloseTo(m.latency().meanMillis() / m.batchSize(), within(1e-9));
            assertThat(m.energyJoulesPerInference()).isNotNegative();
            assertThat(m.peakResidentBytes()).isPositive();
        }
        // loading the 91 MB fp32 weights grows the process by more than the 23 MB int8 ones
        assertThat(result.bench().measurement("minilm", 1, 1).orElseThrow().loadResidentBytes())
                .isGreaterThan(result.bench().measurement("minilm-int8", 1, 1).orElseThrow().loadResidentBytes());
        // every model's energy over the whole run cannot be zero: they used CPU for real
        assertThat(result.bench().measurements().stream().mapToDouble(Measurement::energyJoulesPerInference).sum()).isPositive();

        ModelFacts int8 = result.bench().models().get(0);
        ModelFacts fp32 = result.bench().models().get(1);
        assertThat(int8.bytes()).isEqualTo(Files.size(BuiltinModel.MINILM_INT8.modelFile()));
        assertThat(fp32.bytes()).isEqualTo(Files.size(BuiltinModel.MINILM.modelFile()));
        assertThat(fp32.params()).isEqualTo(22_713_216L); // all-MiniLM-L6-v2's published parameter count
        assertThat(int8.quantizedParams()).isPositive();

        assertThat(result.bench().comparisons()).hasSize(2);
        for (Comparison c : result.bench().comparisons()) {
            Measurement model = result.bench().measurement("minilm-int8", c.threads(), c.batchSize()).orElseThrow();
            Measurement baseline = result.bench().measurement("minilm", c.threads(), c.batchSize()).orElseThrow();
            assertThat(c.speedup()).isCloseTo(baseline.latency().meanMillis() / model.latency().meanMillis(),
                    within(1e-9));
            assertThat(c.sizeRatio()).isCloseTo((double) int8.bytes() / fp32.bytes(), within(1e-12));
        }
        assertThat(result.energy().method()).isIn("measured", "estimated");
        assertThat(result.energy().gridGramsPerKilowattHour()).isPositive();
        Measurement any = result.bench().measurements().get(0);
        assertThat(any.co2eGramsPerMillionInferences()).isCloseTo(any.energyJoulesPerInference() * 1e6
                * result.energy().pue() / 3.6e6 * result.energy().gridGramsPerKilowattHour(), within(1e-9));
    }

    @Test
    void timeBoxEndsAConfigurationEarlyButEachModelGetsABlock() {
        BenchConfig config = BenchConfig.builder().optWarmupRuns(0).optMeasuredRuns(10_000).optRunsPerBlock(3)
                .optTimeBox(Duration.ofMillis(1)).build();
        Result result = runner().run(List.of(BenchModel.of("minilm-int8", BenchModel.Role.MODEL)),
                new SyntheticFeed(16, 3), config);
        int runs = result.bench().measurements().get(0).latency().runs();
        assertThat(runs).isGreaterThanOrEqualTo(3).isLessThan(10_000);
        assertThat(result.bench().settings().inputKind()).isEqualTo("synthetic");
        assertThat(result.bench().settings().inputDescription()).contains("synthetic");
    }

    @Test
    void realImagesFeedAnImageModel() throws Exception {
        Path model = imageModel();
        Feed feed = Feed.fromData("fashion-mnist-sample", null, 128, BatchPadding.LONGEST, 40, 5);
        assertThat(feed).isInstanceOf(FeatureFeed.class);
        BenchConfig config = BenchConfig.builder().optThreads(List.of(1)).optBatchSizes(List.of(1, 8))
                .optWarmupRuns(2).optMeasuredRuns(20).build();
        Result result = runner().run(List.of(new BenchModel("linear", model, BenchModel.Role.MODEL)), feed, config);
        assertThat(result.bench().measurements()).extracting(Measurement::batchSize).containsExactly(1, 8);
        assertThat(result.bench().models().get(0).macs()).isEqualTo(784L * 10); // one Gemm of 784 inputs to 10 outputs
        assertThat(result.bench().settings().inputDescription()).contains("40 real samples").contains("[1, 28, 28]");
        // 20 runs of a 784x10 Gemm take far less than a second: the energy figure is flagged as coarse
        assertThat(result.notes()).anyMatch(n -> n.startsWith("energy is coarse") && n.contains("linear t1 b1"));
    }

    @Test
    void badCombinationsFailWithOneLine() throws Exception {
        assertThatThrownBy(() -> Feed.fromData("wordnet-nouns", null, 32, BatchPadding.LONGEST, 8, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--tokenizer");
        BenchConfig config = BenchConfig.builder().optMeasuredRuns(1).optWarmupRuns(0).build();
        assertThatThrownBy(() -> runner().run(List.of(BenchModel.of("minilm-int8", BenchModel.Role.MODEL),
                BenchModel.of("minilm-int8", BenchModel.Role.BASELINE)), new SyntheticFeed(8, 1), config))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both 'minilm-int8'");
        // images cannot feed a text model
        Feed images = Feed.fromData("fashion-mnist-sample", null, 32, BatchPadding.LONGEST, 8, 1);
        assertThatThrownBy(() -> runner().run(List.of(BenchModel.of("minilm-int8", BenchModel.Role.MODEL)), images,
                config)).isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("\n");
        Path text = Files.writeString(dir.resolve("text.onnx"), "not a model");
        assertThatThrownBy(() -> runner().run(List.of(new BenchModel("text", text, BenchModel.Role.MODEL)),
                new SyntheticFeed(8, 1), config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot read " + text + " as an ONNX model: it is not an ONNX protobuf");
        assertThatThrownBy(() -> BenchConfig.builder().optThreads(List.of(0)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--threads");
    }

    /** logits = flatten(image) W^T + b: a linear classifier of 28x28 images with seeded weights. */
    private Path imageModel() {
        Random random = new Random(11);
        float[] weights = new float[10 * 784];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) random.nextGaussian() * 0.05f;
        }
        OnnxModelBuilder b = OnnxModelBuilder.create("linear");
        String x = b.input("image", DataType.FLOAT, Dim.named("N"), Dim.of(1), Dim.of(28), Dim.of(28));
        String flat = b.node("Flatten").inputs(x).attribute(Attributes.ofInt("axis", 1)).output();
        String w = b.initializer("fc.weight", new long[] {10, 784}, weights);
        String bias = b.initializer("fc.bias", new long[] {10}, new float[10]);
        String logits = b.node("Gemm").inputs(flat, w, bias).attribute(Attributes.ofInt("transB", 1)).output("logits");
        b.output(logits, DataType.FLOAT, Dim.named("N"), Dim.of(10));
        ModelProto proto = b.build();
        Path file = dir.resolve("linear.onnx");
        OnnxModels.write(proto, file);
        return file;
    }
}
