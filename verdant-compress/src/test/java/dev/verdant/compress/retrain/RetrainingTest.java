package dev.verdant.compress.retrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.verdant.compress.CompressionPass;
import dev.verdant.compress.PassContext;
import dev.verdant.compress.PassContext.CalibrationSample;
import dev.verdant.compress.PassOutput;
import dev.verdant.compress.Recipe;
import dev.verdant.compress.pack.VdzContainer;
import dev.verdant.compress.prune.PruningSensitivity;
import dev.verdant.compress.prune.PruningTarget;
import dev.verdant.compress.quantize.QuantizationOptions;
import dev.verdant.compress.share.SharedWeight;
import dev.verdant.compress.share.SharingBits;
import dev.verdant.compress.share.SharingBitsSearch;
import dev.verdant.data.Batch;
import dev.verdant.data.Datasets;
import dev.verdant.data.ImageDataset;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.Tensors;
import dev.verdant.report.console.FactsText;
import dev.verdant.runtime.InputTensor;
import dev.verdant.runtime.OrtClassifier;
import dev.verdant.train.LearningRateSchedule;
import dev.verdant.train.ScheduleKind;
import dev.verdant.train.TrainConfig;
import dev.verdant.train.Trainer;
import dev.verdant.train.TrainingSession;
import dev.verdant.train.TrainingLoss;
import dev.verdant.train.zoo.Zoo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Gradual pruning, Deep Compression and QAT on real Fashion-MNIST images (the committed 1,000-image sample). */
class RetrainingTest {

    private static final TrainingSetup SETUP = new TrainingSetup(Datasets.FASHION_MNIST_SAMPLE, 2, 7, "test");
    private static ImageDataset images;

    @BeforeAll
    static void load() {
        images = Datasets.resolveImages(Datasets.FASHION_MNIST_SAMPLE).loadAll();
    }

    @Test
    void cubicScheduleFollowsZhuAndGupta() {
        CubicSparsitySchedule schedule = new CubicSparsitySchedule(0.1, 0.9, 10, 110, 10);
        assertThat(schedule.sparsityAt(0)).isZero();
        assertThat(schedule.sparsityAt(10)).isEqualTo(0.1);
        // halfway: s_f + (s_i - s_f)(1 - 1/2)^3
        assertThat(schedule.sparsityAt(60)).isCloseTo(0.9 + (0.1 - 0.9) * 0.125, within(1e-12));
        assertThat(schedule.sparsityAt(110)).isEqualTo(0.9);
        assertThat(schedule.sparsityAt(500)).isEqualTo(0.9);
        double previous = 0;
        for (long t = 10; t <= 110; t++) {
            assertThat(schedule.sparsityAt(t)).isGreaterThanOrEqualTo(previous);
            previous = schedule.sparsityAt(t);
        }
        assertThat(schedule.prunesAt(20)).isTrue();
        assertThat(schedule.prunesAt(25)).isFalse();
        assertThat(schedule.prunesAt(120)).isFalse();
        assertThatThrownBy(() -> new CubicSparsitySchedule(0.5, 0.4, 0, 10, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void masksHoldThroughTrainingSteps() {
        ModelProto mlp = Zoo.imageClassifier("mlp", 10, 1.0, 3).build();
        List<String> weightNames = dev.verdant.compress.prune.WeightTensors.find(OnnxGraph.of(mlp), "test").stream()
                .map(dev.verdant.compress.prune.WeightTensor::name).toList();
        assertThat(weightNames).hasSize(3);
        // prune to 70% at the first step, then keep training with the masks
        PruningMasks masks = new PruningMasks(Set.copyOf(weightNames), new PruningTarget.Global(0.7),
                new CubicSparsitySchedule(0.7, 0.7, 1, 1, 1));
        TrainConfig config = TrainConfig.builder().setEpochs(1).optBatchSize(32).optStepHook(masks)
                .optLearningRate(1e-2f).build();
        LearningRateSchedule schedule = ScheduleKind.CONSTANT.build(1e-2f, 100, 0);
        List<Batch> batches = new ArrayList<>();
        images.batches(32).forEach(batches::add);
        ModelProto afterPruning;
        ModelProto afterTraining;
        try (TrainingSession session = new TrainingSession(mlp, config, schedule)) {
            session.step(batches.get(0));
            masks.stepFinished(32, 0, 0, Double.NaN);
            afterPruning = session.export(Map.of());
            for (int i = 1; i < 8; i++) {
                session.step(batches.get(i));
                masks.stepFinished(32, 0, 0, Double.NaN);
            }
            afterTraining = session.export(Map.of());
        }
        assertThat(masks.sparsity()).isCloseTo(0.7, within(1e-3));
        for (String name : weightNames) {
            float[] pruned = Tensors.toFloats(OnnxGraph.of(afterPruning).initializer(name).orElseThrow());
            float[] trained = Tensors.toFloats(OnnxGraph.of(afterTraining).initializer(name).orElseThrow());
            int changed = 0;
            for (int i = 0; i < pruned.length; i++) {
                if (pruned[i] == 0f) {
                    assertThat(trained[i]).as("%s[%d] was pruned", name, i).isEqualTo(0f);
                } else if (trained[i] != pruned[i]) {
                    changed++;
                }
            }
            assertThat(changed).as("kept weights of %s still train", name).isPositive();
        }
    }

    @Test
    void gradualPruningReachesItsTargetAndStillClassifies() {
        ModelProto mlp = Zoo.imageClassifier("mlp", 10, 1.0, 3).build();
        GradualPruningPass pass = new GradualPruningPass(new PruningTarget.Global(0.9),
                new RetrainingOptions(3, 2e-3f, 64, 0), SETUP);
        PassOutput output = pass.apply(mlp, PassContext.withoutData(0));
        assertThat((double) output.facts().get("sparsity")).isCloseTo(0.9, within(1e-3));
        assertThat((double) output.facts().get("weightReduction")).isGreaterThan(9.9);
        // far better than chance (10%) on held-out images, with nine weights in ten gone
        assertThat((double) output.facts().get("retrainAccuracyAfter")).isGreaterThan(0.5);
        assertThat((double) output.facts().get("retrainEnergyJoules")).isPositive();
    }

    @Test
    void deepCompressionKeepsCodebooksWithinBitsAndPacks() throws Exception {
        ModelProto mlp = Zoo.imageClassifier("mlp", 10, 1.0, 3).build();
        DeepCompressionPass pass = new DeepCompressionPass(0.9, new SharingBits(8, 3, Map.of()),
                new RetrainingOptions(2, 2e-3f, 64, 0), 1, SETUP);
        PassOutput output = pass.apply(mlp, PassContext.withoutData(0));
        OnnxGraph graph = OnnxGraph.of(output.model());
        List<SharedWeight> shared = SharedWeight.find(graph);
        assertThat(shared).hasSize(3);
        for (SharedWeight weight : shared) {
            float[] codebook = Tensors.toFloats(graph.initializer(weight.codebook()).orElseThrow());
            assertThat(codebook.length).isLessThanOrEqualTo(1 << 3);
            assertThat(codebook[0]).as("the pruned zeros' code").isEqualTo(0f);
        }
        assertThat((double) output.facts().get("centroidsAccuracyAfter")).isGreaterThan(0.4);
        // the container round-trips to the same predictions in ONNX Runtime
        ModelProto unpacked = VdzContainer.unpack(VdzContainer.pack(output.model()).bytes());
        Batch batch = images.batch(0, 50);
        try (OrtClassifier before = OrtClassifier.load(output.model(), 1);
                OrtClassifier after = OrtClassifier.load(unpacked, 1)) {
            assertThat(after.logits(batch)).isDeepEqualTo(before.logits(batch));
        }
    }

    @Test
    void deepCompressionChoosesEachLayersBitsOnValidationExamples() {
        ModelProto mlp = Zoo.imageClassifier("mlp", 10, 1.0, 3).build();
        DeepCompressionPass pass = new DeepCompressionPass(
                new DeepCompressionPass.LayerPruning.Given(new PruningTarget.Global(0.8)),
                new DeepCompressionPass.LayerBits.Searched(SharingBitsSearch.withTolerance(0.01)), 200,
                new RetrainingOptions(2, 2e-3f, 64, 0), 1, new TrainingLoss.CrossEntropy(), SETUP);
        PassOutput output = pass.apply(mlp, PassContext.withoutData(0));
        Map<?, ?> choice = (Map<?, ?>) output.facts().get("bitsChoice");
        assertThat(choice.get("validationExamples")).isEqualTo(200);
        List<?> layers = (List<?>) choice.get("layers");
        assertThat(layers).hasSize(3);
        Map<?, ?> bits = (Map<?, ?>) output.facts().get("bits");
        OnnxGraph graph = OnnxGraph.of(output.model());
        for (Object fact : layers) {
            Map<?, ?> layer = (Map<?, ?>) fact;
            int chosen = (int) layer.get("bits");
            assertThat(chosen).isBetween(2, 8);
            assertThat(bits.get(layer.get("tensor"))).isEqualTo(chosen);
            // every narrower width tried cost the layer more than the tolerance on the validation examples
            Map<?, ?> scores = (Map<?, ?>) layer.get("validationAccuracyByBits");
            assertThat(scores).hasSize(chosen - 1);
            assertThat(scores.values()).allSatisfy(score -> assertThat((double) score).isBetween(0.0, 1.0));
            SharedWeight shared = SharedWeight.find(graph).stream().filter(w -> w.weight().equals(layer.get("tensor")))
                    .findFirst().orElseThrow();
            assertThat(Tensors.toFloats(graph.initializer(shared.codebook()).orElseThrow()).length)
                    .isLessThanOrEqualTo(1 << chosen);
        }
        // accuracies are fractions, as in every other step's facts
        assertThat((double) choice.get("baselineValidationAccuracy")).isBetween(0.4, 1.0);
        assertThat((double) output.facts().get("sharedValidationAccuracy")).isBetween(0.4, 1.0);
        assertThat((double) output.facts().get("centroidsAccuracyAfter")).isGreaterThan(0.4);
    }

    /**
     * Structured pruning of a CNN fine-tunes toward the original's soft outputs by default, as deep-compression does,
     * and on the labels alone with alpha=0; both runs start from the same pruned network, so their models differ.
     */
    @Test
    void structuredPruningOfACnnDistilsFromTheOriginalByDefault() {
        ModelProto lenet = Zoo.imageClassifier("lenet5", 10, 1.0, 3).build();
        PassOutput distilled = Recipe.parse("prune-structured:0.5,epochs=1,examples=200")
                .passes(QuantizationOptions.defaults(), SETUP).get(0).apply(lenet, PassContext.withoutData(0));
        PassOutput labelsAlone = Recipe.parse("prune-structured:0.5,epochs=1,examples=200,alpha=0")
                .passes(QuantizationOptions.defaults(), SETUP).get(0).apply(lenet, PassContext.withoutData(0));
        assertThat(distilled.facts().get("loss"))
                .isEqualTo("distillation(T=4.0, alpha=0.9), the teacher being the original model");
        assertThat(labelsAlone.facts().get("loss")).isEqualTo("cross-entropy");
        assertThat(distilled.facts().get("layers")).isEqualTo(labelsAlone.facts().get("layers"));
        assertThat(OnnxGraph.of(distilled.model()).initializer("conv1.weight"))
                .isNotEqualTo(OnnxGraph.of(labelsAlone.model()).initializer("conv1.weight"));
        assertThatThrownBy(() -> Recipe.parse("prune-structured:0.5,alpha=0,t=2"))
                .hasMessage("recipe step 'prune-structured': t= is the distillation's temperature, and alpha=0 turns "
                        + "distillation off");
    }

    @Test
    void deepCompressionDefaultsChooseEachLayersSparsityAndBitsOnValidationAndPrintThem() {
        // a briefly trained MLP, so that its layers differ in what pruning costs them
        ModelProto mlp = new Trainer(TrainConfig.builder().setEpochs(3).optSeed(7).optThreads(2).build())
                .fit(Zoo.imageClassifier("mlp", 10, 1.0, 3).build(), "test", images, images).model();
        // only the training is shortened (CI time): sparsity, bits and validation are the recipe's defaults
        CompressionPass pass = Recipe.parse("deep-compression:epochs=2").passes(QuantizationOptions.defaults(), SETUP)
                .get(0);
        PassOutput output = pass.apply(mlp, PassContext.withoutData(0));
        Map<?, ?> sparsityChoice = (Map<?, ?>) output.facts().get("sparsityChoice");
        Map<?, ?> bitsChoice = (Map<?, ?>) output.facts().get("bitsChoice");
        assertThat(sparsityChoice).as("sparsity=auto is the default").isNotNull();
        assertThat(bitsChoice).as("bits=auto is the default").isNotNull();
        // a tenth of the sample's 800 training images is kept out to choose on; the test part is never looked at
        assertThat(sparsityChoice.get("validationExamples")).isEqualTo(80);
        assertThat(bitsChoice.get("validationExamples")).isEqualTo(80);
        assertThat((double) sparsityChoice.get("overallSparsity"))
                .isCloseTo(DeepCompressionPass.DEFAULT_OVERALL_SPARSITY, within(1e-9));
        List<?> chosen = (List<?>) sparsityChoice.get("layers");
        assertThat(chosen).hasSize(3);
        Set<Double> sparsities = new HashSet<>();
        Map<?, ?> pruned = (Map<?, ?>) output.facts().get("prune");
        for (int i = 0; i < 3; i++) {
            Map<?, ?> layer = (Map<?, ?>) chosen.get(i);
            double sparsity = (double) layer.get("sparsity");
            sparsities.add(sparsity);
            assertThat((Map<?, ?>) layer.get("validationAccuracyBySparsity")).hasSize(PruningSensitivity.GRID.size());
            // the gradual pruning reached each layer's own sparsity
            Map<?, ?> reached = (Map<?, ?>) ((List<?>) pruned.get("layers")).get(i);
            assertThat(reached.get("tensor")).isEqualTo(layer.get("tensor"));
            assertThat((double) reached.get("sparsity")).isCloseTo(sparsity, within(0.01));
        }
        assertThat(sparsities).as("one sparsity per layer, not one global figure").hasSize(3);
        // both trainings learn from the original model's soft outputs as well as from the labels
        assertThat(output.facts().get("loss"))
                .isEqualTo("distillation(T=4.0, alpha=0.9), the teacher being the original model");
        // the bits were brought within the tolerance with all layers shared together, and that is what was written
        List<?> together = (List<?>) bitsChoice.get("together");
        assertThat(together).isNotEmpty();
        assertThat(((Map<?, ?>) together.getLast()).get("bits")).isEqualTo(output.facts().get("bits"));
        assertThat(((Map<?, ?>) output.facts().get("bits")).values())
                .allSatisfy(bits -> assertThat((int) bits).isBetween(2, 8));
        // the console shows both choices
        List<String> lines = FactsText.lines(output.facts(), "");
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("sparsityChoice"));
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("bitsChoice"));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("validationAccuracyBySparsity"));
    }

    @Test
    void validationExamplesAreKeptOutOfTrainingAndTheTestPart() {
        Retrainer plain = new Retrainer(SETUP, "test", 300);
        Retrainer validated = new Retrainer(SETUP, "test", 300, 100);
        // with a cap on training examples, the training subset is the same with or without validation
        assertThat(validated.data().train().features()).isEqualTo(plain.data().train().features());
        assertThat(validated.validation().size()).isEqualTo(100);
        Set<String> seen = new HashSet<>();
        for (ImageDataset part : List.of(validated.data().train(), validated.data().heldOut())) {
            for (int i = 0; i < part.size(); i++) {
                seen.add(Arrays.toString(part.image(i)));
            }
        }
        for (int i = 0; i < validated.validation().size(); i++) {
            assertThat(seen).doesNotContain(Arrays.toString(validated.validation().image(i)));
        }
        // without a cap, the validation examples come out of the training part
        int trainPart = new Retrainer(SETUP, "test", 0).data().train().size();
        assertThat(new Retrainer(SETUP, "test", 0, 100).data().train().size()).isEqualTo(trainPart - 100);
        assertThatThrownBy(() -> new Retrainer(SETUP, "test", 0, trainPart))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("validation=");
    }

    @Test
    void qatExportIsInt8ThatOnnxRuntimeRuns() {
        ModelProto lenet = Zoo.imageClassifier("lenet5", 10, 1.0, 3).build();
        List<CalibrationSample> calibration = new ArrayList<>();
        for (Batch batch : images.subset(128).batches(64)) {
            calibration.add(new CalibrationSample(Map.of("input", new InputTensor(new long[] {batch.size(), 1, 28, 28},
                    batch.features(), null))));
        }
        QuantizationAwareTrainingPass pass = new QuantizationAwareTrainingPass(new RetrainingOptions(2, 2e-3f, 64, 0),
                SETUP);
        PassOutput output = pass.apply(lenet, new PassContext(calibration, 0));
        OnnxGraph graph = OnnxGraph.of(output.model());
        long int8Weights = graph.initializers().values().stream().filter(t -> DataType.of(t) == DataType.INT8
                && t.getDimsCount() >= 2).count();
        assertThat(int8Weights).isEqualTo(5); // 2 conv + 3 fully-connected layers
        assertThat(graph.nodes().stream().map(NodeProto::getOpType)).contains("DequantizeLinear", "QuantizeLinear");
        // the first Conv reads the image itself: its QDQ pair sits on the graph input, with no Identity in front
        assertThat(graph.nodes()).filteredOn(n -> n.getInputList().contains("input")).extracting(NodeProto::getOpType)
                .containsExactly("QuantizeLinear");
        assertThat(graph.initializers().keySet()).noneMatch(n -> n.endsWith("_qat"));
        // training helped the quantized model, and the exported file scores what the fake-quantized one did
        double trained = (double) output.facts().get("qatAccuracyAfter");
        assertThat(trained).isGreaterThan((double) output.facts().get("int8StaticAccuracy"));
        try (OrtClassifier classifier = OrtClassifier.load(output.model(), 1)) {
            ImageDataset heldOut = new Retrainer(SETUP, "test", 0).data().heldOut();
            assertThat(classifier.evaluate(heldOut, 100).accuracy()).isCloseTo(trained, within(0.01));
        }
        for (TensorProto scale : graph.initializers().values()) {
            assertThat(scale.getName()).doesNotEndWith("_fake_quantized");
        }
    }

    @Test
    void retrainingWithoutDataFailsWithOneLine() {
        RetrainingOptions options = new RetrainingOptions(1, 1e-3f, 64, 0);
        GradualPruningPass pass = new GradualPruningPass(new PruningTarget.Global(0.5), options,
                new TrainingSetup(null, 1, 1, "test"));
        assertThatThrownBy(() -> pass.apply(Zoo.imageClassifier("mlp", 10, 1.0, 3).build(),
                PassContext.withoutData(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--data").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> new GradualPruningPass(new PruningTarget.NOfM(2, 4), options, SETUP))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("N:M");
    }
}
