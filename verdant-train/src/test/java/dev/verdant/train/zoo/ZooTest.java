package dev.verdant.train.zoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.verdant.data.Batch;
import dev.verdant.data.IdxSource;
import dev.verdant.data.ImageDataset;
import dev.verdant.data.Part;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.Provenance;
import dev.verdant.onnx.Tensors;
import dev.verdant.runtime.InferredShapes;
import dev.verdant.runtime.OrtClassifier;
import dev.verdant.runtime.ShapeInference;
import dev.verdant.runtime.inspect.ModelSummary;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ZooTest {

    private static Batch images;

    @BeforeAll
    static void loadImages() {
        Path sample = Path.of(System.getProperty("verdant.repo.root", "../"), "data", "fashion-mnist-sample");
        ImageDataset test = IdxSource.of("fashion-mnist-sample", sample, null).load(Part.TEST, 5);
        images = test.batch(0, 5);
    }

    static Stream<Architecture> imageArchitectures() {
        return Stream.of(Mlp.lenet300100(1), LeNet5.standard(1), new LeNet5(10, Activation.TANH, true, 1),
                new CaffeLeNet(10, 1),
                new MobileNetV2(1.0, 10, 1), new MobileNetV2(0.5, 10, 1));
    }

    @ParameterizedTest
    @MethodSource("imageArchitectures")
    void imageModelsRunInOnnxRuntimeOnRealImagesAndReturnFiniteLogits(Architecture architecture) {
        ModelProto model = architecture.build();
        try (OrtClassifier ort = OrtClassifier.load(model, 1)) {
            float[][] logits = ort.logits(images);
            assertThat(logits).hasNumberOfRows(5);
            for (float[] row : logits) {
                assertThat(row).hasSize(architecture.classes());
                for (float v : row) {
                    assertThat(Float.isFinite(v)).isTrue();
                }
            }
            // different images give different scores: the weights are not degenerate
            assertThat(logits[0]).isNotEqualTo(logits[1]);
        }
        OnnxGraph graph = OnnxGraph.of(model);
        assertThat(Provenance.read(model)).containsEntry("verdant.zoo.arch", architecture.id());
        assertThat(graph.opset()).isEqualTo(Architecture.OPSET);
    }

    static Stream<Architecture> allArchitectures() {
        return Stream.concat(imageArchitectures(), Stream.of(TransformerClassifier.tiny(100, 12, 4, 7)));
    }

    /** Inspect's shape rules give every tensor of every zoo model the shape ONNX Runtime gives it, with no probe. */
    @ParameterizedTest
    @MethodSource("allArchitectures")
    void theShapeRulesAgreeWithOnnxRuntimeOnEveryZooModel(Architecture architecture) {
        OnnxGraph graph = OnnxGraph.of(architecture.build());
        long[] shape = new long[architecture.exampleShape().size() + 1];
        shape[0] = 3;
        for (int i = 1; i < shape.length; i++) {
            shape[i] = architecture.exampleShape().get(i - 1);
        }
        Map<String, long[]> inputs = Map.of(Architecture.INPUT, shape);
        InferredShapes oracle = ShapeInference.probeAll(graph, inputs);
        InferredShapes rules = ShapeInference.infer(graph, inputs);
        assertThat(rules.probed()).isEmpty();
        assertThat(oracle.probed()).isNotEmpty();
        oracle.shapes().forEach((tensor, dims) -> assertThat(rules.shapes().get(tensor)).as(tensor)
                .containsExactly(dims));
        assertThat(rules.shape(Architecture.OUTPUT)).containsExactly(3, architecture.classes());
    }

    @Test
    void transformerRunsOnTokenIds() {
        TransformerClassifier transformer = TransformerClassifier.tiny(100, 12, 4, 7);
        float[] ids = new float[3 * 12];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (i * 37) % 100;
        }
        Batch batch = new Batch(0, ids, new int[] {0, 1, 2}, new long[] {12});
        try (OrtClassifier ort = OrtClassifier.load(transformer.build(), 1)) {
            float[][] logits = ort.logits(batch);
            assertThat(logits).hasNumberOfRows(3);
            assertThat(logits[0]).hasSize(4);
            assertThat(logits[0]).isNotEqualTo(logits[1]);
        }
    }

    @Test
    void lenet5HasTheClassicLayerSizes() {
        OnnxGraph graph = OnnxGraph.of(LeNet5.standard(1).build());
        assertThat(Tensors.dims(graph.initializer("conv1.weight").orElseThrow())).containsExactly(6, 1, 5, 5);
        assertThat(Tensors.dims(graph.initializer("conv2.weight").orElseThrow())).containsExactly(16, 6, 5, 5);
        assertThat(Tensors.dims(graph.initializer("fc1.weight").orElseThrow())).containsExactly(120, 400);
        assertThat(Tensors.dims(graph.initializer("fc2.weight").orElseThrow())).containsExactly(84, 120);
        assertThat(Tensors.dims(graph.initializer("fc3.weight").orElseThrow())).containsExactly(10, 84);
        long parameters = graph.initializers().values().stream().mapToLong(Tensors::elementCount).sum();
        assertThat(parameters).isEqualTo(61_706);
    }

    /** Han et al.'s Table 4 gives 431K parameters for this network; counted by hand, layer by layer. */
    @Test
    void caffesLeNetHasTheLayerSizesDeepCompressionPrunes() {
        OnnxGraph graph = OnnxGraph.of(new CaffeLeNet(10, 1).build());
        assertThat(Tensors.dims(graph.initializer("conv1.weight").orElseThrow())).containsExactly(20, 1, 5, 5);
        assertThat(Tensors.dims(graph.initializer("conv2.weight").orElseThrow())).containsExactly(50, 20, 5, 5);
        assertThat(Tensors.dims(graph.initializer("fc1.weight").orElseThrow())).containsExactly(500, 800);
        assertThat(Tensors.dims(graph.initializer("fc2.weight").orElseThrow())).containsExactly(10, 500);
        assertThat(new CaffeLeNet(10, 1).inspect().params()).isEqualTo(520 + 25_050 + 400_500 + 5_010);
        // one ReLU, after fc1, as in Caffe's lenet_train_test.prototxt
        assertThat(graph.nodes().stream().filter(n -> n.getOpType().equals("Relu")).count()).isEqualTo(1);
        assertThat(Zoo.imageClassifier("lenet5-caffe", 10, 1.0, 1)).isEqualTo(new CaffeLeNet(10, 1));
    }

    /** Counted by hand: convolutions 6·28²·25 + 16·10²·150, then 400·120 + 120·84 + 84·10. */
    @Test
    void inspectReportsTheMacsAndParametersOfTheClassicNets() {
        ModelSummary lenet = LeNet5.standard(1).inspect();
        assertThat(lenet.params()).isEqualTo(61_706);
        assertThat(lenet.macs()).isEqualTo(117_600 + 240_000 + 48_000 + 10_080 + 840);
        ModelSummary mlp = Mlp.lenet300100(1).inspect();
        assertThat(mlp.params()).isEqualTo(784 * 300 + 300 + 300 * 100 + 100 + 100 * 10 + 10);
        assertThat(mlp.macs()).isEqualTo(784 * 300 + 300 * 100 + 100 * 10);
        ModelSummary mobile = new MobileNetV2(1.0, 10, 1).inspect();
        ModelSummary narrow = new MobileNetV2(0.5, 10, 1).inspect();
        assertThat(narrow.macs()).isPositive().isLessThan(mobile.macs() / 2);
        assertThat(mobile.nodesWithUnknownCost()).isZero();
        assertThat(TransformerClassifier.tiny(1000, 16, 4, 1).inspect().macs()).isPositive();
    }

    @Test
    void mobileNetHasInvertedResidualsWithDepthwiseConvolutionsAndWidthScalesIt() {
        ModelProto full = new MobileNetV2(1.0, 10, 1).build();
        OnnxGraph graph = OnnxGraph.of(full);
        long depthwise = graph.nodes().stream().filter(n -> n.getOpType().equals("Conv"))
                .filter(n -> n.getName().contains("depthwise")).count();
        long residuals = graph.nodes().stream().filter(n -> n.getOpType().equals("Add")).count();
        assertThat(depthwise).isEqualTo(8);
        assertThat(residuals).isEqualTo(4); // the repeats after each stage's first block
        assertThat(graph.nodes().stream().filter(n -> n.getOpType().equals("Clip")).count()).isPositive();
        long fullParameters = parameters(full);
        long halfParameters = parameters(new MobileNetV2(0.5, 10, 1).build());
        assertThat(halfParameters).isLessThan(fullParameters * 6 / 10);
    }

    @Test
    void theSeedFixesTheWeights() {
        assertThat(LeNet5.standard(3).build()).isEqualTo(LeNet5.standard(3).build());
        TensorProto a = OnnxGraph.of(LeNet5.standard(3).build()).initializer("conv1.weight").orElseThrow();
        TensorProto b = OnnxGraph.of(LeNet5.standard(4).build()).initializer("conv1.weight").orElseThrow();
        assertThat(Tensors.toFloats(a)).isNotEqualTo(Tensors.toFloats(b));
    }

    @Test
    void heInitialisationHasTheVarianceItPromises() {
        float[] w = WeightInit.HE_NORMAL.sample(100_000, 50, 10, new java.util.SplittableRandom(1));
        double mean = 0;
        double square = 0;
        for (float v : w) {
            mean += v;
            square += v * v;
        }
        mean /= w.length;
        assertThat(mean).isBetween(-0.002, 0.002);
        assertThat(square / w.length).isCloseTo(2.0 / 50, org.assertj.core.data.Offset.offset(0.001));
    }

    @Test
    void unknownArchitecturesAreNamedWithTheKnownOnes() {
        assertThatThrownBy(() -> Zoo.imageClassifier("resnet", 10, 1.0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[mlp, lenet5, lenet5-caffe, mobilenet] or [transformer]");
        assertThat(Zoo.textClassifier("transformer", 100, 8, 3, 1)).isEqualTo(TransformerClassifier.tiny(100, 8, 3, 1));
        assertThatThrownBy(() -> Zoo.imageClassifier("lenet5", 10, 0.5, 1))
                .hasMessageContaining("--width applies to mobilenet only");
        assertThat(Zoo.imageClassifier("MobileNet", 10, 0.5, 1)).isEqualTo(new MobileNetV2(0.5, 10, 1));
        assertThat(List.of(MobileNetV2.scaled(32, 0.5), MobileNetV2.scaled(24, 0.5), MobileNetV2.scaled(16, 0.35)))
                .containsExactly(16, 16, 8);
    }

    private static long parameters(ModelProto model) {
        return model.getGraph().getInitializerList().stream().mapToLong(Tensors::elementCount).sum();
    }
}
