package dev.verdant.train.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.Tensors;
import dev.verdant.onnx.build.Dim;
import dev.verdant.onnx.build.OnnxModelBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Autograd through the interpreter: gradients reach trainable weights, not frozen ones, and agree with finite differences. */
class GradientTest {

    private final Random random = new Random(7);

    private float[] gaussian(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian() * 0.5f;
        }
        return values;
    }

    /** Conv → Relu → Flatten → MatMul → Gemm. */
    private ModelProto convMatMulGemm() {
        OnnxModelBuilder b = OnnxModelBuilder.create("grad").opset(17);
        String x = b.input("x", DataType.FLOAT, Dim.named("N"), Dim.of(1), Dim.of(6), Dim.of(6));
        String y = b.node("Conv").inputs(x, b.initializer("conv.weight", new long[] {4, 1, 3, 3}, gaussian(36)),
                b.initializer("conv.bias", new long[] {4}, gaussian(4))).output();
        y = b.node("Relu").inputs(y).output();
        y = b.node("Flatten").inputs(y).output();
        y = b.node("MatMul").inputs(y, b.initializer("proj.weight", new long[] {64, 8}, gaussian(512))).output();
        y = b.node("Gemm").inputs(y, b.initializer("fc.weight", new long[] {3, 8}, gaussian(24)),
                b.initializer("fc.bias", new long[] {3}, gaussian(3))).attribute(Attributes.ofInt("transB", 1))
                .output();
        b.output(y, DataType.FLOAT, Dim.named("N"), Dim.of(3));
        return b.build();
    }

    @Test
    void gradientsReachConvMatMulAndGemmWeightsButNotFrozenParameters() {
        ParameterSelector selector = ParameterSelector.ALL.freeze("*.bias").freeze("regex:proj\\..*");
        try (CompiledGraph graph = GraphInterpreter.compile(convMatMulGemm(),
                CompileOptions.defaults().withParameters(selector));
             NDManager batch = graph.manager().newSubManager()) {
            assertThat(graph.trainableParameters()).extracting(GraphParameter::name)
                    .containsExactly("conv.weight", "fc.weight");
            NDArray x = batch.create(gaussian(2 * 36), new Shape(2, 1, 6, 6));
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray out = graph.forward(batch, Map.of("x", x), true).get(graph.outputNames().getFirst());
                collector.backward(out.square().sum());
            }
            Map<String, GraphParameter> parameters = graph.parameters().stream()
                    .collect(Collectors.toMap(GraphParameter::name, Function.identity()));
            for (String trained : new String[] {"conv.weight", "fc.weight"}) {
                NDArray gradient = parameters.get(trained).array().getGradient();
                assertThat(gradient.abs().sum().getFloat()).as(trained).isGreaterThan(0f);
                gradient.close();
            }
            for (String frozen : new String[] {"conv.bias", "proj.weight", "fc.bias"}) {
                assertThat(parameters.get(frozen).trainable()).isFalse();
                assertThat(parameters.get(frozen).array().hasGradient()).as(frozen).isFalse();
            }
        }
    }

    @Test
    void embeddingGatherAccumulatesTheGradientOfEveryLookup() {
        OnnxModelBuilder b = OnnxModelBuilder.create("embedding").opset(17);
        String ids = b.input("ids", DataType.INT64, Dim.named("N"), Dim.named("T"));
        String table = b.initializer("embedding.weight", new long[] {5, 3}, gaussian(15));
        String y = b.node("Gather").inputs(table, ids).output();
        b.output(y, DataType.FLOAT, Dim.named("N"), Dim.named("T"), Dim.of(3));
        try (CompiledGraph graph = GraphInterpreter.compile(b.build());
             NDManager batch = graph.manager().newSubManager()) {
            NDArray input = batch.create(new long[][] {{1, 3, 1}, {4, 1, -1}});
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                collector.backward(graph.forward(batch, Map.of("ids", input), true).get(y).sum());
            }
            // each row's gradient counts its lookups: row 1 three times, rows 3 and 4 (also as -1) once
            float[] gradient = graph.trainableParameters().getFirst().array().getGradient().toFloatArray();
            float[] counts = {0, 3, 0, 1, 2};
            for (int row = 0; row < 5; row++) {
                for (int column = 0; column < 3; column++) {
                    assertThat(gradient[row * 3 + column]).as("row %d", row).isEqualTo(counts[row]);
                }
            }
        }
    }

    /** {@code sum(c * softmax(tanh(x W + b)))} in float64, so central differences are exact enough to compare. */
    private static ModelProto tiny(double[] weight, double[] biasValues) {
        OnnxModelBuilder b = OnnxModelBuilder.create("tiny").opset(17);
        String x = b.input("x", DataType.DOUBLE, Dim.of(3), Dim.of(4));
        String w = b.initializer(doubles("w", new long[] {4, 5}, weight));
        String bias = b.initializer(doubles("b", new long[] {5}, biasValues));
        String y = b.node("Add").inputs(b.node("MatMul").inputs(x, w).output(), bias).output();
        y = b.node("Softmax").inputs(b.node("Tanh").inputs(y).output()).output();
        String c = b.initializer(doubles("c", new long[] {5}, new double[] {1, -2, 0.5, 3, -1}));
        y = b.node("ReduceSum").inputs(b.node("Mul").inputs(y, c).output())
                .attribute(Attributes.ofInt("keepdims", 0)).output();
        b.output(y, DataType.DOUBLE);
        return b.build();
    }

    private static ai.onnx.proto.OnnxMl.TensorProto doubles(String name, long[] dims, double[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asDoubleBuffer().put(values);
        return Tensors.raw(name, DataType.DOUBLE, dims, buffer.array());
    }

    private static double loss(ModelProto model, double[] x, boolean backward, double[] gradientOut) {
        try (CompiledGraph graph = GraphInterpreter.compile(model);
             NDManager batch = graph.manager().newSubManager()) {
            NDArray input = batch.create(x, new Shape(3, 4));
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray out = graph.forward(batch, Map.of("x", input), false).get(graph.outputNames().getFirst());
                double value = out.getDouble();
                if (backward) {
                    collector.backward(out);
                    NDArray w = graph.parameters().getFirst().array();
                    System.arraycopy(w.getGradient().toDoubleArray(), 0, gradientOut, 0, gradientOut.length);
                }
                return value;
            }
        }
    }

    @Test
    void autogradMatchesCentralDifferences() {
        double[] weight = new double[20];
        double[] bias = new double[5];
        double[] x = new double[12];
        for (double[] array : new double[][] {weight, bias, x}) {
            for (int i = 0; i < array.length; i++) {
                array[i] = random.nextGaussian();
            }
        }
        double[] gradient = new double[20];
        loss(tiny(weight, bias), x, true, gradient);
        double h = 1e-6;
        for (int i = 0; i < weight.length; i++) {
            double[] plus = weight.clone();
            double[] minus = weight.clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (loss(tiny(plus, bias), x, false, null) - loss(tiny(minus, bias), x, false, null))
                    / (2 * h);
            assertThat(gradient[i]).as("dL/dw[%d]", i).isCloseTo(numeric, within(1e-6 + 1e-5 * Math.abs(numeric)));
        }
    }
}
