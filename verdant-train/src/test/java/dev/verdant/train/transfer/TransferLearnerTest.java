package dev.verdant.train.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.verdant.data.Batch;
import dev.verdant.data.Datasets;
import dev.verdant.data.ImageDataset;
import dev.verdant.energy.TrackedRun;
import dev.verdant.energy.Tracker;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.runtime.OrtClassifier;
import dev.verdant.train.EpochResult;
import dev.verdant.train.TrainingListener;
import dev.verdant.train.graph.CompiledGraph;
import dev.verdant.train.graph.GraphInterpreter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Transfer from a LeNet-5 trained for three epochs on the committed MNIST digits sample to the committed Fashion-MNIST
 * sample ({@link TransferSamples}: 800 training, 200 held-out images): small and fast, but every check runs on real
 * images.
 */
class TransferLearnerTest {

    private static ModelProto digitsNet;
    private static ImageDataset train;
    private static ImageDataset test;

    @BeforeAll
    static void setUp() {
        TransferSamples samples = TransferSamples.load();
        digitsNet = samples.digitsNet();
        train = samples.train();
        test = samples.test();
    }

    @Test
    void headOnlyTransferKeepsTheBackboneAndExportsOneModelThatOrtAndTheInterpreterAgreeOn() {
        TransferConfig config = TransferConfig.builder().optEpochs(8).optLearningRate(0.01f).optThreads(1)
                .optHead(new Head.Mlp(32)).build();
        TransferResult result;
        try (TrackedRun run = Tracker.start("test")) {
            result = new TransferLearner(config).fit(digitsNet, "digits.onnx", train, test, run);
        }
        assertFrozen(result.model(), Backbone.cut(digitsNet, java.util.Optional.empty()).parameters());
        assertThat(result.unfrozenParameters()).isEmpty();
        assertThat(result.featureShape()).containsExactly(84);
        // the accuracy reported is that of the exported file in ONNX Runtime, and it learned something
        try (OrtClassifier ort = OrtClassifier.load(result.model(), 1)) {
            assertThat(ort.evaluate(test, 50).accuracy()).isEqualTo(result.accuracy());
        }
        assertThat(result.accuracy()).isGreaterThan(0.45); // chance is 0.1
        assertInterpreterMatchesOrt(result.model());
        Map<String, String> metadata = OnnxGraph.of(result.model()).metadata();
        assertThat(metadata).containsEntry("verdant.transfer.backbone", "digits.onnx")
                .containsEntry("verdant.transfer.head", "mlp:32").containsKey("verdant.transfer.energy_joules")
                .doesNotContainKey("verdant.train.started_from"); // the digits run's provenance is not this model's
        assertThat(result.validationSamples()).isZero(); // nothing fine-tuned: nothing to choose
        assertThat(result.trainSamples()).isEqualTo(train.size());
        assertThat(result.energy().joules()).isPositive();
        assertThat(result.scratch()).isEmpty();
    }

    @Test
    void unfreezingTheLastLayerTrainsOnlyItAndTheScratchBaselineIsMeasuredInTheSameRun() {
        List<String> started = new ArrayList<>();
        int[] finished = {0};
        TrainingListener heard = new TrainingListener() {
            @Override
            public void epochStarted(int epoch, int epochs, int steps, int samples) {
                started.add(epoch + "/" + epochs);
            }

            @Override
            public void epochFinished(EpochResult r) {
                finished[0]++;
            }
        };
        TransferConfig config = TransferConfig.builder().optEpochs(2).optFinetuneEpochs(1).optUnfreezeLast(1)
                .optCut("Flatten").optThreads(1).optCompareScratch(1).optListener(heard).build();
        TransferResult result;
        try (TrackedRun run = Tracker.start("test")) {
            result = new TransferLearner(config).fit(digitsNet, "digits.onnx", train, test, run);
        }
        // cut at the flattened conv features: conv1, conv2 stay, conv2 is the one layer fine-tuned
        assertThat(result.featureShape()).containsExactly(400);
        assertThat(result.unfrozenParameters()).containsExactly("conv2.weight", "conv2.bias");
        assertFrozen(result.model(), List.of("conv1.weight", "conv1.bias"));
        assertThat(rawData(initializer(result.model(), "conv2.weight")))
                .isNotEqualTo(rawData(initializer(digitsNet, "conv2.weight")));
        assertThat(OnnxGraph.of(result.model()).initializers()).doesNotContainKeys("fc1.weight", "fc3.weight");
        assertInterpreterMatchesOrt(result.model());
        // by default a tenth of each class is held out of both phases to choose the fine-tuning epoch kept
        assertThat(result.validationSamples()).isBetween(75, 85); // of 800
        assertThat(result.trainSamples() + result.validationSamples()).isEqualTo(train.size());
        assertThat(result.finetuneKeptEpoch()).isEqualTo(1);
        assertThat(result.finetuneEpochs()).singleElement().satisfies(e -> assertThat(e.validationAccuracy()).isNotNull());
        assertThat(OnnxGraph.of(result.model()).metadata())
                .containsEntry("verdant.transfer.validation_samples", Integer.toString(result.validationSamples()))
                .containsEntry("verdant.transfer.finetune_kept_epoch", "1")
                .containsEntry("verdant.train.kept_epoch", "1")
                .containsEntry("verdant.train.train_samples", Integer.toString(result.trainSamples()));

        TransferResult.ScratchComparison scratch = result.scratch().orElseThrow();
        assertThat(scratch.epochs()).isEqualTo(1);
        // every phase, the scratch run included, announces its epochs out of its cap ("epoch 1/0" before)
        assertThat(started).hasSize(finished[0]).last().isEqualTo("1/1");
        assertThat(scratch.energy().joules()).isPositive();
        assertThat(scratch.energyRatio()).isCloseTo(result.energy().joules() / scratch.energy().joules(), within(1e-9));
        assertThat(scratch.reached()).isEqualTo(scratch.accuracy() >= result.accuracy());
    }

    @Test
    void badInputFailsWithOneLine() {
        TransferConfig defaults = TransferConfig.builder().build();
        ImageDataset digits = Datasets.images(Datasets.resolve(Datasets.MNIST_DIGITS_SAMPLE),
                Datasets.MNIST_DIGITS_SAMPLE).loadAll();
        ImageDataset relabelled = new ImageDataset("fewer", test.pixels(), 1, 28, 28, test.labels(),
                List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));
        try (TrackedRun run = Tracker.start("test")) {
            assertThatThrownBy(() -> new TransferLearner(defaults).fit(digitsNet, "d", train, relabelled, run))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("different classes");
            ModelProto wideHead = new Head.Linear().build(50, 10, 1, 17);
            TransferConfig given = TransferConfig.builder().optHead(new Head.Given(wideHead)).build();
            assertThatThrownBy(() -> new TransferLearner(given).fit(digitsNet, "d", digits, digits, run))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the head reads [N, 50] but the backbone gives [N, 84] features at the cut");
            // real digits cropped to 14x14 cannot feed a [N, 1, 28, 28] backbone
            float[] cropped = new float[digits.size() * 14 * 14];
            for (int i = 0; i < digits.size(); i++) {
                for (int y = 0; y < 14; y++) {
                    System.arraycopy(digits.pixels(), i * 784 + (y + 7) * 28 + 7, cropped, (i * 14 + y) * 14, 14);
                }
            }
            ImageDataset small = new ImageDataset("cropped", cropped, 1, 14, 14, digits.labels(), digits.classNames());
            assertThatThrownBy(() -> new TransferLearner(defaults).fit(digitsNet, "d", small, small, run))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("takes 784 values per sample, but the data's samples are [1,14,14]");
        }
    }

    private void assertFrozen(ModelProto trained, List<String> names) {
        assertThat(names).isNotEmpty();
        for (String name : names) {
            assertThat(rawData(initializer(trained, name))).as(name).isEqualTo(rawData(initializer(digitsNet, name)));
        }
    }

    private static TensorProto initializer(ModelProto model, String name) {
        return OnnxGraph.of(model).initializer(name).orElseThrow(() -> new AssertionError("no initializer " + name));
    }

    private static byte[] rawData(TensorProto tensor) {
        return dev.verdant.onnx.Tensors.toRawBytes(tensor);
    }

    /** The exported model's logits in ONNX Runtime and in the interpreter, on 16 held-out images. */
    private static void assertInterpreterMatchesOrt(ModelProto model) {
        Batch batch = test.batch(0, 16);
        float[][] ortLogits;
        try (OrtClassifier ort = OrtClassifier.load(model, 1)) {
            ortLogits = ort.logits(batch);
        }
        try (CompiledGraph graph = GraphInterpreter.compile(model);
             NDManager manager = graph.manager().newSubManager()) {
            NDArray x = manager.create(batch.features(), new Shape(16, 1, 28, 28));
            NDArray logits = graph.forward(manager, Map.of(graph.inputNames().get(0), x), false)
                    .get(graph.outputNames().get(0));
            float[] flat = logits.toFloatArray();
            for (int i = 0; i < 16; i++) {
                for (int c = 0; c < 10; c++) {
                    assertThat(flat[i * 10 + c]).isCloseTo(ortLogits[i][c], within(1e-4f));
                }
            }
        }
    }
}
