package dev.verdant.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.verdant.data.ImageDataset;
import dev.verdant.data.Split;
import dev.verdant.data.TabularDataset;
import dev.verdant.data.TokenizedTexts;
import dev.verdant.onnx.Provenance;
import dev.verdant.onnx.Tensors;
import dev.verdant.runtime.OrtClassifier;
import dev.verdant.train.zoo.Mlp;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Choosing the epoch on a validation split of the training data: on the committed Fashion-MNIST sample (1,000 test
 * images of the Debian package's test set), 70% to train and validate on, 30% held out.
 */
class ValidationSplitTest {

    private static ImageDataset train;
    private static ImageDataset test;

    @BeforeAll
    static void load() {
        ImageDataset sample = FashionMnistSample.images();
        Split<ImageDataset> split = sample.stratifiedSplit(0.7, 1);
        train = split.train();
        test = split.heldOut();
    }

    /**
     * A small MLP on 200 images for eight epochs at a constant high rate: validation accuracy stalls and wobbles, so
     * the best epoch comes before the last and the returned model must be that epoch's checkpoint, not the last one.
     * (Where this was written the best validation accuracy is a three-way tie, epochs 4, 7 and 8: the earliest is
     * kept.)
     */
    @Test
    void theKeptEpochIsTheFirstArgmaxOfValidationAccuracyAndTheModelIsItsCheckpoint() {
        List<EpochResult> heard = new ArrayList<>();
        List<ModelProto> checkpoints = new ArrayList<>();
        List<Integer> samplesPerEpoch = new ArrayList<>();
        TrainConfig config = TrainConfig.builder().setEpochs(8).optBatchSize(16).optSeed(5).optThreads(1)
                .optLearningRate(3e-3f).optSchedule(ScheduleKind.CONSTANT).optValidation(0.25)
                .optListener(recorder(heard, checkpoints, samplesPerEpoch)).optVerdantVersion("test").build();
        ImageDataset small = train.stratifiedSplit(200.0 / train.size(), 3).train();
        TrainingResult result = new Trainer(config).fit(Mlp.lenet300100(2).build(), "zoo:mlp", small, test);

        assertThat(heard).hasSize(8).allSatisfy(e -> assertThat(e.validationAccuracy()).isNotNull());
        int argmax = 1;
        for (EpochResult epoch : heard) {
            if (epoch.validationAccuracy() > heard.get(argmax - 1).validationAccuracy()) {
                argmax = epoch.epoch();
            }
        }
        assertThat(result.keptEpoch()).isEqualTo(argmax).isLessThan(8);
        assertThat(result.epochs()).isEqualTo(heard);
        // the kept checkpoint's weights, bit for bit, and not the last epoch's
        assertThat(initializers(result.model())).isEqualTo(initializers(checkpoints.get(argmax - 1)))
                .isNotEqualTo(initializers(checkpoints.get(7)));
        // the final accuracy is the kept epoch's held-out accuracy, which is the returned file's in ONNX Runtime
        assertThat(result.finalAccuracy()).isEqualTo(heard.get(argmax - 1).testAccuracy());
        try (OrtClassifier ort = OrtClassifier.load(result.model(), 1)) {
            assertThat(ort.evaluate(test, 100).accuracy()).isEqualTo(result.finalAccuracy());
        }
        // a quarter of each class is held out (to rounding); an epoch trains on the rest only
        int validation = Arrays.stream(small.classHistogram()).map(h -> h - (int) Math.round(h * 0.75)).sum();
        assertThat(result.validationSamples()).isEqualTo(validation).isBetween(45, 55);
        assertThat(samplesPerEpoch).containsOnly(small.size() - validation);
        Map<String, String> metadata = Provenance.read(result.model());
        assertThat(metadata).containsEntry("verdant.train.epochs", "8")
                .containsEntry("verdant.train.kept_epoch", Integer.toString(argmax))
                .containsEntry("verdant.train.validation_samples", Integer.toString(validation))
                .containsEntry("verdant.train.train_samples", Integer.toString(small.size() - validation))
                .containsEntry("verdant.zoo.arch", "mlp");
        assertThat(Double.parseDouble(metadata.get("verdant.train.test_accuracy")))
                .isCloseTo(result.finalAccuracy(), within(1e-4));
    }

    @Test
    void offByDefaultKeepsTheLastEpochAndWritesNoValidationEntries() {
        assertThat(TrainConfig.builder().build().validationFraction()).isZero();
        List<EpochResult> heard = new ArrayList<>();
        List<ModelProto> checkpoints = new ArrayList<>();
        List<Integer> samplesPerEpoch = new ArrayList<>();
        TrainConfig config = TrainConfig.builder().setEpochs(2).optBatchSize(32).optSeed(5).optThreads(1)
                .optListener(recorder(heard, checkpoints, samplesPerEpoch)).build();
        TrainingResult result = new Trainer(config).fit(Mlp.lenet300100(2).build(), "zoo:mlp", train, test);

        assertThat(result.keptEpoch()).isEqualTo(2);
        assertThat(result.validationSamples()).isZero();
        assertThat(result.model()).isSameAs(checkpoints.get(1));
        assertThat(result.finalAccuracy()).isEqualTo(heard.get(1).testAccuracy());
        assertThat(heard).allSatisfy(e -> assertThat(e.validationAccuracy()).isNull());
        assertThat(samplesPerEpoch).containsOnly(train.size());
        // exactly the entries a run wrote before validation existed
        assertThat(result.provenance().toMetadata().keySet()).containsExactly("verdant.train.started_from",
                "verdant.train.data", "verdant.train.train_samples", "verdant.train.epochs",
                "verdant.train.batch_size", "verdant.train.seed", "verdant.train.optimizer",
                "verdant.train.learning_rate", "verdant.train.loss", "verdant.train.frozen",
                "verdant.train.test_accuracy", "verdant.train.seconds", "verdant.train.verdant_version");
    }

    /** Index-coded samples (feature i = i, token ids [i + 1]) with the sample's real labels, split both ways. */
    @Test
    void validationAndTrainingPartsAreDisjointStratifiedAndTheSameForFeaturesAndTokens() {
        int[] labels = train.labels();
        int n = labels.length;
        float[] indexFeatures = new float[n];
        for (int i = 0; i < n; i++) {
            indexFeatures[i] = i;
        }
        TrainingData features = TrainingData.of(new TabularDataset("indices", indexFeatures, List.of("index"), labels,
                train.classNames()));
        List<long[]> ids = IntStream.range(0, n).mapToObj(i -> new long[] {i + 1}).toList();
        List<long[]> types = IntStream.range(0, n).mapToObj(i -> new long[] {0}).toList();
        TrainingData tokens = TrainingData.of(new TokenizedTexts("indices", ids, types, labels, train.classNames()));

        TrainingData.ValidationSplit byFeatures = features.split(0.1, 7);
        TrainingData.ValidationSplit byTokens = tokens.split(0.1, 7);
        int[] trainIndices = indices(byFeatures.train());
        int[] validationIndices = indices(byFeatures.validation());
        assertThat(indices(byTokens.train())).containsExactly(trainIndices);
        assertThat(indices(byTokens.validation())).containsExactly(validationIndices);
        assertThat(IntStream.concat(IntStream.of(trainIndices), IntStream.of(validationIndices)).sorted().toArray())
                .containsExactly(IntStream.range(0, n).toArray()); // disjoint, and together every sample once
        // stratified: each class gives round(10%) of its samples to validation
        int[] perClass = new int[train.classCount()];
        for (int i : validationIndices) {
            perClass[labels[i]]++;
        }
        int[] histogram = train.classHistogram();
        for (int c = 0; c < perClass.length; c++) {
            assertThat(perClass[c]).isEqualTo(histogram[c] - (int) Math.round(histogram[c] * 0.9));
        }
        assertThat(indices(features.split(0.1, 8).validation())).isNotEqualTo(validationIndices);
    }

    @Test
    void aValidationFractionThatLeavesNothingToValidateOnIsOneLine() {
        assertThatThrownBy(() -> TrainConfig.builder().optValidation(1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 1)");
        TrainConfig config = TrainConfig.builder().setEpochs(1).optValidation(0.001).build();
        assertThatThrownBy(() -> new Trainer(config).fit(Mlp.lenet300100(2).build(), "zoo:mlp", train.subset(40), test))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot hold out a validation fraction of 0.001 of");
    }

    private static TrainingListener recorder(List<EpochResult> heard, List<ModelProto> checkpoints,
            List<Integer> samplesPerEpoch) {
        return new TrainingListener() {
            @Override
            public void epochStarted(int epoch, int epochs, int steps, int samples) {
                samplesPerEpoch.add(samples);
            }

            @Override
            public void epochFinished(EpochResult result) {
                heard.add(result);
            }

            @Override
            public void checkpointReady(int epoch, ModelProto checkpoint) {
                checkpoints.add(checkpoint);
            }
        };
    }

    /** Each initializer's raw bytes by name (a {@link ByteBuffer} compares by content). */
    private static Map<String, ByteBuffer> initializers(ModelProto model) {
        Map<String, ByteBuffer> weights = new java.util.TreeMap<>();
        for (TensorProto tensor : model.getGraph().getInitializerList()) {
            weights.put(tensor.getName(), ByteBuffer.wrap(Tensors.toRawBytes(tensor)));
        }
        return weights;
    }

    private static int[] indices(TrainingData data) {
        return switch (data) {
            case TrainingData.Features f -> {
                float[] values = f.data().features();
                int[] indices = new int[values.length];
                for (int i = 0; i < values.length; i++) {
                    indices[i] = (int) values[i];
                }
                yield indices;
            }
            case TrainingData.Tokens t -> t.texts().inputIds().stream().mapToInt(ids -> (int) ids[0] - 1).toArray();
            case TrainingData.Transfer t -> throw new AssertionError("no transfer set in these tests");
        };
    }
}
