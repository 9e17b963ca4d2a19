package dev.verdant.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.data.Datasets;
import dev.verdant.data.ImageAugmentation;
import dev.verdant.data.ImageDataset;
import dev.verdant.data.Part;
import dev.verdant.data.SystemData;
import dev.verdant.data.SystemDataAssumptions;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.Provenance;
import dev.verdant.onnx.Tensors;
import dev.verdant.runtime.OrtClassifier;
import dev.verdant.train.zoo.LeNet5;
import dev.verdant.train.zoo.Mlp;
import dev.verdant.train.zoo.MobileNetV2;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Short real trainings: 2,000 Fashion-MNIST training images (the Debian package) and the committed 1,000 test
 * images, one epoch (without the package, a 70/30 split of the committed sample). Chance is 10%; a working trainer
 * gets well past it.
 */
class TrainerTest {

    private static ImageDataset train;
    private static ImageDataset test;

    @BeforeAll
    static void load() {
        var fashion = Datasets.images(Datasets.resolve(Datasets.FASHION_MNIST), Datasets.FASHION_MNIST);
        ImageDataset sample = FashionMnistSample.images();
        if (fashion.parts().contains(Part.TRAIN)) {
            train = fashion.load(Part.TRAIN).subset(2_000);
            test = sample;
        } else { // without the Debian package only the sample exists: keep training and test images apart
            var split = sample.stratifiedSplit(0.7, 1);
            train = split.train();
            test = split.heldOut();
        }
    }

    @Test
    void lenet5LearnsFashionMnistInOneEpochAndTheFileCarriesItsProvenance() {
        // one epoch on 2,000 training images; the 700 of the bundled sample are too few for the bar
        SystemDataAssumptions.assumeInstalled(SystemData.FASHION_MNIST);
        List<Float> losses = new ArrayList<>();
        List<ModelProto> checkpoints = new ArrayList<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void stepFinished(int samples, double loss, double samplesPerSecond, double energyJoules) {
                losses.add((float) loss);
            }

            @Override
            public void checkpointReady(int epoch, ModelProto checkpoint) {
                checkpoints.add(checkpoint);
            }
        };
        TrainConfig config = TrainConfig.builder().setEpochs(1).optBatchSize(32).optSeed(3).optListener(recorder)
                .optVerdantVersion("test").build();
        TrainingResult result = new Trainer(config).fit(LeNet5.standard(3).build(), "zoo:lenet5", train, test);

        assertThat(result.initialAccuracy()).isLessThan(0.3);
        assertThat(result.finalAccuracy()).isGreaterThan(0.6);
        assertThat(mean(losses.subList(losses.size() - 10, losses.size()))).isLessThan(mean(losses.subList(0, 10)) * 0.6f);
        assertThat(checkpoints).containsExactly(result.model());
        var metadata = Provenance.read(result.model());
        assertThat(metadata).containsEntry("verdant.train.epochs", "1").containsEntry("verdant.train.seed", "3")
                .containsEntry("verdant.train.started_from", "zoo:lenet5").containsEntry("verdant.train.verdant_version", "test")
                .containsKey("verdant.train.optimizer").containsEntry("verdant.zoo.arch", "lenet5");
        // the accuracy the result reports is that of the returned file, in ONNX Runtime
        try (OrtClassifier ort = OrtClassifier.load(result.model(), 1)) {
            assertThat(ort.evaluate(test, 100).accuracy()).isEqualTo(result.finalAccuracy());
        }
    }

    @Test
    void fineTuningResumesFromTheExportedWeightsAndFrozenLayersStayPut() {
        TrainConfig first = TrainConfig.builder().setEpochs(1).optBatchSize(32).optSeed(1).build();
        TrainingResult trained = new Trainer(first).fit(Mlp.lenet300100(1).build(), "zoo:mlp", train, test);
        ModelProto start = trained.model();

        TrainConfig tune = TrainConfig.builder().setEpochs(1).optBatchSize(32).optSeed(2).optLearningRate(3e-4f)
                .optFreeze("fc1.*").build();
        TrainingResult tuned = new Trainer(tune).fit(start, "mlp.onnx", train, test);

        assertThat(tuned.initialAccuracy()).isEqualTo(trained.finalAccuracy());
        assertThat(tuned.finalAccuracy()).isGreaterThanOrEqualTo(tuned.initialAccuracy() - 0.02);
        OnnxGraph before = OnnxGraph.of(start);
        OnnxGraph after = OnnxGraph.of(tuned.model());
        assertThat(Tensors.toFloats(after.initializer("fc1.weight").orElseThrow()))
                .isEqualTo(Tensors.toFloats(before.initializer("fc1.weight").orElseThrow()));
        assertThat(Tensors.toFloats(after.initializer("fc2.weight").orElseThrow()))
                .isNotEqualTo(Tensors.toFloats(before.initializer("fc2.weight").orElseThrow()));
        assertThat(after.metadata()).containsEntry("verdant.train.frozen", "fc1.*");
    }

    /**
     * Batch normalisation trains on batch statistics and the exported graph runs on the running statistics the
     * interpreter updated: if those stayed at their initial 0 and 1, ONNX Runtime would score near chance.
     */
    @Test
    void mobileNetWithBatchNormLearnsAndItsRunningStatisticsReachTheExport() {
        // one epoch on 2,000 training images; the 700 of the bundled sample are too few for the bar
        SystemDataAssumptions.assumeInstalled(SystemData.FASHION_MNIST);
        TrainConfig config = TrainConfig.builder().setEpochs(1).optBatchSize(32).optSeed(1).optLearningRate(3e-3f).build();
        ModelProto initial = new MobileNetV2(0.5, 10, 1).build();
        TrainingResult result = new Trainer(config).fit(initial, "zoo:mobilenet", train, test);
        assertThat(result.finalAccuracy()).isGreaterThan(0.5);
        float[] before = Tensors.toFloats(OnnxGraph.of(initial).initializer("stem.bn.running_mean").orElseThrow());
        float[] after = Tensors.toFloats(OnnxGraph.of(result.model()).initializer("stem.bn.running_mean").orElseThrow());
        assertThat(after).isNotEqualTo(before);
    }

    @Test
    void memoryStaysFlatAcrossSteps() {
        TrainConfig config = TrainConfig.builder().setEpochs(1).build();
        try (TrainingSession session = new TrainingSession(LeNet5.standard(1).build(), config,
                new LearningRateSchedule.Constant(1e-3f))) {
            var batches = train.batches(16).iterator();
            for (int i = 0; i < 3; i++) {
                session.step(batches.next());
            }
            int afterWarmup = session.liveArrays();
            for (int i = 0; i < 20; i++) {
                session.step(batches.next());
            }
            assertThat(session.liveArrays()).isEqualTo(afterWarmup);
        }
    }

    /** Augmented runs repeat exactly under one seed, differ from plain runs, and say so in their provenance. */
    @Test
    void augmentedTrainingIsSeededAndRecordedInTheProvenance() {
        TrainConfig.Builder augmented = TrainConfig.builder().setEpochs(1).optBatchSize(64).optSeed(4).optThreads(1)
                .optAugmentation(ImageAugmentation.parse("shift2+flip"));
        ModelProto start = Mlp.lenet300100(1).build();
        TrainingResult first = new Trainer(augmented.build()).fit(start, "zoo:mlp", train, test);
        TrainingResult again = new Trainer(augmented.build()).fit(start, "zoo:mlp", train, test);
        TrainingResult plain = new Trainer(TrainConfig.builder().setEpochs(1).optBatchSize(64).optSeed(4).optThreads(1)
                .build()).fit(start, "zoo:mlp", train, test);
        float[] weights = Tensors.toFloats(OnnxGraph.of(first.model()).initializer("fc1.weight").orElseThrow());
        assertThat(Tensors.toFloats(OnnxGraph.of(again.model()).initializer("fc1.weight").orElseThrow()))
                .isEqualTo(weights);
        assertThat(Tensors.toFloats(OnnxGraph.of(plain.model()).initializer("fc1.weight").orElseThrow()))
                .isNotEqualTo(weights);
        assertThat(first.finalAccuracy()).isGreaterThan(first.initialAccuracy() + 0.2);
        assertThat(OnnxGraph.of(first.model()).metadata().get("verdant.train.data")).endsWith("augmented shift2+flip");
    }

    @Test
    void freezingEverythingIsRefusedBeforeTraining() {
        TrainConfig config = TrainConfig.builder().setEpochs(1).optFreeze("*").build();
        assertThatThrownBy(() -> new Trainer(config).fit(LeNet5.standard(1).build(), "zoo:lenet5", train, test))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nothing to train");
    }

    private static float mean(List<Float> values) {
        return (float) values.stream().mapToDouble(Float::doubleValue).average().orElseThrow();
    }
}
