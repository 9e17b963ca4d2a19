package dev.verdant.train.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.Tensors;
import dev.verdant.onnx.build.Dim;
import dev.verdant.onnx.build.OnnxModelBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Training-mode semantics, memory scoping, up-front validation and export of the compiled graph. */
class CompiledGraphTest {

    private static final float[] RUNNING_MEAN = {0.5f, -1f};
    private static final float[] RUNNING_VAR = {2f, 0.25f};

    /** x (N, 2, 2, 2) → BatchNormalization → Dropout(0.5). */
    private static ModelProto batchNormDropout() {
        OnnxModelBuilder b = OnnxModelBuilder.create("bn").opset(17);
        String x = b.input("x", DataType.FLOAT, Dim.named("N"), Dim.of(2), Dim.of(2), Dim.of(2));
        String y = b.node("BatchNormalization").inputs(x,
                b.initializer("bn.weight", new long[] {2}, new float[] {1f, 2f}),
                b.initializer("bn.bias", new long[] {2}, new float[] {0f, 1f}),
                b.initializer("bn.running_mean", new long[] {2}, RUNNING_MEAN.clone()),
                b.initializer("bn.running_var", new long[] {2}, RUNNING_VAR.clone())).output();
        b.output(y, DataType.FLOAT, Dim.named("N"), Dim.of(2), Dim.of(2), Dim.of(2));
        String dropped = b.node("Dropout").inputs(y, b.floatScalar("ratio", 0.5f)).output();
        b.output(dropped, DataType.FLOAT, Dim.named("N"), Dim.of(2), Dim.of(2), Dim.of(2));
        return b.build();
    }

    private static float[] channel(float[] nchw, int channel) {
        float[] values = new float[nchw.length / 2];
        int n = 0;
        for (int i = 0; i < nchw.length; i++) {
            if ((i / 4) % 2 == channel) {
                values[n++] = nchw[i];
            }
        }
        return values;
    }

    private static double mean(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static double unbiasedVariance(float[] values) {
        double mean = mean(values);
        double sum = 0;
        for (float v : values) {
            sum += (v - mean) * (v - mean);
        }
        return sum / (values.length - 1);
    }

    @Test
    void batchNormUsesRunningStatisticsInInferenceAndBatchStatisticsInTraining() {
        float[] input = new float[32];
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) Math.sin(i) * 3 + 1;
        }
        try (CompiledGraph graph = GraphInterpreter.compile(batchNormDropout());
             NDManager batch = graph.manager().newSubManager()) {
            NDArray x = batch.create(input, new Shape(4, 2, 2, 2));
            String bn = graph.outputNames().get(0);
            String dropout = graph.outputNames().get(1);

            Map<String, NDArray> inference = graph.forward(batch, Map.of("x", x), false);
            float[] y = inference.get(bn).toFloatArray();
            // channel 0: (x - 0.5) / sqrt(2 + 1e-5) * 1 + 0
            assertThat(y[0]).isCloseTo((float) ((input[0] - 0.5) / Math.sqrt(2 + 1e-5)), within(1e-5f));
            assertThat(inference.get(dropout).toFloatArray()).containsExactly(y);

            Map<String, NDArray> training = graph.forward(batch, Map.of("x", x), true);
            float[] trained = training.get(bn).toFloatArray();
            assertThat(mean(channel(trained, 0))).isCloseTo(0, within(1e-5));
            assertThat(mean(channel(trained, 1))).as("normalized then shifted by the bias").isCloseTo(1, within(1e-5));
            float[] runningMean = graph.parameters().stream().filter(p -> p.name().equals("bn.running_mean"))
                    .findFirst().orElseThrow().array().toFloatArray();
            assertThat(runningMean[0]).as("0.9 * running + 0.1 * batch")
                    .isCloseTo((float) (0.9 * RUNNING_MEAN[0] + 0.1 * mean(channel(input, 0))), within(1e-5f));
            float[] runningVar = graph.parameters().stream().filter(p -> p.name().equals("bn.running_var"))
                    .findFirst().orElseThrow().array().toFloatArray();
            assertThat(runningVar[0]).as("0.9 * running + 0.1 * unbiased batch variance, as PyTorch trains")
                    .isCloseTo((float) (0.9 * RUNNING_VAR[0] + 0.1 * unbiasedVariance(channel(input, 0))),
                            within(1e-5f));
            assertThat(graph.trainableParameters()).extracting(GraphParameter::name)
                    .containsExactly("bn.weight", "bn.bias");

            float[] dropped = training.get(dropout).toFloatArray();
            int zeros = 0;
            for (int i = 0; i < dropped.length; i++) {
                if (dropped[i] == 0f) {
                    zeros++;
                } else {
                    assertThat(dropped[i]).as("kept values scale by 1 / (1 - ratio)")
                            .isCloseTo(trained[i] * 2, within(1e-5f));
                }
            }
            assertThat(zeros).as("about half of 32 dropped").isBetween(4, 28);
        }
    }

    @Test
    void fakeQuantizeRoundsForwardAndPassesTheGradientStraightThrough() {
        OnnxModelBuilder b = OnnxModelBuilder.create("ste").opset(13);
        String x = b.input("x", DataType.FLOAT, Dim.of(6));
        String scale = b.constant(Tensors.ofFloats("scale", new long[0], new float[] {0.5f}));
        String zero = b.constant(Tensors.ofBytes("zero", DataType.INT8, new long[0], new byte[] {0}));
        String q = b.node("QuantizeLinear").inputs(x, scale, zero).output();
        String y = b.node("DequantizeLinear").inputs(q, scale, zero).output();
        b.output(y, DataType.FLOAT, Dim.of(6));
        try (CompiledGraph graph = GraphInterpreter.compile(b.build());
             NDManager batch = graph.manager().newSubManager()) {
            NDArray input = batch.create(new float[] {0.1f, 0.3f, -0.8f, 1.26f, 100f, -0.25f});
            input.setRequiresGradient(true);
            NDArray weights = batch.create(new float[] {1f, 2f, 3f, 4f, 5f, 6f});
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray out = graph.forward(batch, Map.of("x", input), true).get(y);
                // round half to even on x / 0.5, clamped to int8 [-128, 127]
                assertThat(out.toFloatArray()).containsExactly(0f, 0.5f, -1f, 1.5f, 63.5f, 0f);
                collector.backward(out.mul(weights).sum());
            }
            assertThat(input.getGradient().toFloatArray()).containsExactly(1f, 2f, 3f, 4f, 5f, 6f);
        }
    }

    @Test
    void forwardPassesLeaveNoNativeArraysBehind() {
        try (CompiledGraph graph = GraphInterpreter.compile(batchNormDropout());
             NDManager caller = Engine.getEngine("PyTorch").newBaseManager()) {
            int held = graph.manager().getManagedArrays().size();
            for (int step = 0; step < 20; step++) {
                try (NDManager batch = caller.newSubManager()) {
                    NDArray x = batch.ones(new Shape(4, 2, 2, 2));
                    Map<String, NDArray> outputs = graph.forward(batch, Map.of("x", x), step % 2 == 0);
                    // in inference Dropout passes its input through: both outputs are then one array
                    long distinct = outputs.values().stream().map(System::identityHashCode).distinct().count();
                    assertThat(batch.getManagedArrays()).as("the input and the outputs").hasSize(1 + (int) distinct);
                }
            }
            assertThat(graph.manager().getManagedArrays()).hasSize(held);
            assertThat(caller.getManagedArrays()).isEmpty();
        }
    }

    @Test
    void everyUnsupportedOpIsNamedBeforeAnyWork() {
        OnnxModelBuilder b = OnnxModelBuilder.create("bad").opset(17).opset("com.example", 1);
        String x = b.input("x", DataType.FLOAT, Dim.of(1), Dim.of(1), Dim.of(4), Dim.of(4));
        String pooled = b.node("MaxPool").name("pool").inputs(x).attribute(Attributes.ofInts("kernel_shape", 2, 2))
                .outputs(2).get(0);
        String custom = b.node("Fancy").domain("com.example").name("fancy").inputs(pooled).output();
        String y = b.node("Einsum").name("einsum").inputs(custom).attribute(Attributes.ofString("equation", "ij->ji"))
                .output();
        b.output(y, DataType.FLOAT);
        assertThatThrownBy(() -> GraphInterpreter.compile(b.build()))
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("MaxPool (opset 17): the Indices output")
                .hasMessageContaining("com.example:Fancy (opset 1): no kernel")
                .hasMessageContaining("Einsum (opset 17): no kernel")
                .satisfies(e -> assertThat(((UnsupportedModelException) e).unsupported()).hasSize(3));
    }

    @Test
    void forwardRejectsUnknownMissingAndMistypedInputs() {
        try (CompiledGraph graph = GraphInterpreter.compile(batchNormDropout());
             NDManager batch = graph.manager().newSubManager()) {
            NDArray x = batch.ones(new Shape(1, 2, 2, 2));
            assertThatThrownBy(() -> graph.forward(batch, Map.of("y", x), false))
                    .hasMessage("unknown input 'y', expected one of [x]");
            assertThatThrownBy(() -> graph.forward(batch, Map.of(), false))
                    .hasMessage("missing input 'x', expected [x]");
            assertThatThrownBy(() -> graph.forward(batch, Map.of("x", x.toType(ai.djl.ndarray.types.DataType.INT64,
                    false)), false)).hasMessage("input 'x' is int64 but the model expects float");
        }
    }

    @Test
    void exportWritesCurrentParametersIntoTheOriginalGraphWithProvenance() throws Exception {
        ModelProto original = batchNormDropout().toBuilder().addMetadataProps(
                StringStringEntryProto.newBuilder().setKey("source").setValue("test")).build();
        try (CompiledGraph graph = GraphInterpreter.compile(original)) {
            NDArray weight = graph.trainableParameters().getFirst().array();
            weight.addi(1f); // what an optimizer step does, outside the gradient collector
            ModelProto exported = graph.exportModel(Map.of("verdant.epochs", "3"));
            OnnxGraph view = OnnxGraph.of(exported);
            assertThat(Tensors.toFloats(view.initializer("bn.weight").orElseThrow())).containsExactly(2f, 3f);
            assertThat(Tensors.toFloats(view.initializer("bn.running_var").orElseThrow()))
                    .containsExactly(RUNNING_VAR);
            assertThat(view.metadata()).containsEntry("source", "test").containsEntry("verdant.epochs", "3");
            assertThat(exported.getGraph().getNodeList()).isEqualTo(original.getGraph().getNodeList());

            float[] input = new float[8];
            java.util.Arrays.fill(input, 1.5f);
            float[] expected = OrtReference.runOrt(exported, "x", input, new long[] {1, 2, 2, 2})
                    .values().iterator().next();
            float[] actual = OrtReference.runInterpreter(exported, "x", input, new long[] {1, 2, 2, 2})
                    .values().iterator().next();
            assertThat(OrtReference.maxAbsDifference(actual, expected)).isLessThan(1e-5);
        }
    }

    @Test
    void parameterPatternsAreGlobsOrRegularExpressions() {
        ParameterSelector selector = ParameterSelector.ALL.train("encoder.*").freeze("*.bias")
                .freeze("regex:encoder\\.layer\\.[01]\\..*");
        assertThat(selector.isTrainable("encoder.layer.2.attention.weight")).isTrue();
        assertThat(selector.isTrainable("encoder.layer.2.attention.bias")).isFalse();
        assertThat(selector.isTrainable("encoder.layer.1.attention.weight")).isFalse();
        assertThat(selector.isTrainable("classifier.weight")).isFalse();
        assertThatThrownBy(() -> ParameterSelector.ALL.freeze("regex:(")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid parameter pattern 'regex:('");
    }
}
