package dev.verdant.compress.structured;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.verdant.data.Batch;
import dev.verdant.data.Datasets;
import dev.verdant.data.ImageDataset;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.Tensors;
import dev.verdant.runtime.OrtClassifier;
import dev.verdant.runtime.inspect.ModelInspector;
import dev.verdant.train.zoo.Zoo;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Structured pruning rewrites graphs that ONNX Runtime runs, and removes exactly what it says. */
class StructuredPrunerTest {

    private final ImageDataset images = Datasets.resolveImages(Datasets.FASHION_MNIST_SAMPLE).loadAll();

    @Test
    void removingAllZeroChannelsLeavesTheOutputsUnchanged() throws Exception {
        ModelProto lenet = Zoo.imageClassifier("lenet5", 10, 1.0, 5).build();
        // zero every other filter (and its bias) of each layer but the classifier: those channels carry nothing
        GraphProto.Builder graph = lenet.getGraph().toBuilder().clearInitializer();
        for (TensorProto tensor : lenet.getGraph().getInitializerList()) {
            String name = tensor.getName();
            boolean layer = name.matches("(conv1|conv2|fc1|fc2)\\.(weight|bias)");
            graph.addInitializer(layer ? zeroEveryOther(tensor) : tensor);
        }
        ModelProto withDeadChannels = lenet.toBuilder().setGraph(graph).build();
        StructuredPruner.Result result = new StructuredPruner(0.5).prune(withDeadChannels);

        assertThat(result.layers()).extracting(l -> l.get("layer")).hasSize(4);
        assertThat(result.layers()).allSatisfy(l -> assertThat((int) l.get("kept")).isEqualTo(
                (int) Math.round((int) l.get("channels") / 2.0)));
        long before = params(withDeadChannels);
        long after = params(result.model());
        assertThat(after).isLessThan(before / 2);
        Batch batch = images.batch(0, 64);
        try (OrtClassifier original = OrtClassifier.load(withDeadChannels, 1);
                OrtClassifier pruned = OrtClassifier.load(result.model(), 1)) {
            float[][] expected = original.logits(batch);
            float[][] actual = pruned.logits(batch);
            for (int i = 0; i < expected.length; i++) {
                for (int c = 0; c < expected[i].length; c++) {
                    assertThat(actual[i][c]).isCloseTo(expected[i][c], within(1e-4f));
                }
            }
        }
    }

    @Test
    void mobileNetKeepsResidualChannelsAndShrinks() {
        ModelProto mobilenet = Zoo.imageClassifier("mobilenet", 10, 0.5, 5).build();
        StructuredPruner.Result result = new StructuredPruner(0.5).prune(mobilenet);
        // every expand conv (its depthwise follows it) and the head are pruned; projections feeding Adds are not
        assertThat(result.layers()).extracting(l -> (String) l.get("layer"))
                .anyMatch(n -> n.contains("expand")).anyMatch(n -> n.contains("head"));
        assertThat(result.skipped()).extracting(l -> (String) l.get("reason")).anyMatch(r -> r.contains("Add"));
        long macsBefore = macs(mobilenet);
        long macsAfter = macs(result.model());
        assertThat(macsAfter).isLessThan(macsBefore * 6 / 10);
        Batch batch = images.batch(0, 8);
        try (OrtClassifier pruned = OrtClassifier.load(result.model(), 1)) {
            assertThat(pruned.logits(batch)).hasDimensions(8, 10);
        }
    }

    private static TensorProto zeroEveryOther(TensorProto tensor) {
        float[] values = Tensors.toFloats(tensor);
        long[] dims = Tensors.dims(tensor);
        long inner = values.length / dims[0];
        for (int i = 0; i < values.length; i++) {
            if ((i / inner) % 2 == 1) {
                values[i] = 0f;
            }
        }
        return Tensors.ofFloats(tensor.getName(), dims, values);
    }

    private static long params(ModelProto model) {
        return OnnxGraph.of(model).initializers().values().stream().mapToLong(Tensors::elementCount).sum();
    }

    private static long macs(ModelProto model) {
        return ModelInspector.inspect("m", model.getSerializedSize(), model, Map.of("input", new long[] {1, 1, 28, 28}))
                .macs();
    }
}
