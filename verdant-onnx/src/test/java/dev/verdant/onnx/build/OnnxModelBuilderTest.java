package dev.verdant.onnx.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxGraph;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OnnxModelBuilderTest {

    /** y = relu(x W^T + b) with W [3,4], built here and run in ONNX Runtime against the same sum done by hand. */
    @Test
    void builtGemmReluRunsInOnnxRuntimeAndMatchesTheArithmetic() throws OrtException {
        float[] weights = {0.5f, -1f, 2f, 0f, 1f, 1f, 1f, 1f, -2f, 0.25f, 0f, 3f};
        float[] bias = {0.1f, -5f, 0.3f};
        OnnxModelBuilder b = OnnxModelBuilder.create("tiny").metadata("purpose", "test");
        String x = b.input("input", DataType.FLOAT, Dim.named("N"), Dim.of(4));
        String w = b.initializer("fc.weight", new long[] {3, 4}, weights);
        String bb = b.initializer("fc.bias", new long[] {3}, bias);
        String gemm = b.node("Gemm").name("fc").inputs(x, w, bb).attribute(Attributes.ofInt("transB", 1)).output();
        String y = b.node("Relu").inputs(gemm).output("logits");
        b.output(y, DataType.FLOAT, Dim.named("N"), Dim.of(3));
        ModelProto model = b.build();

        assertThat(model.getIrVersion()).isEqualTo(8);
        assertThat(OnnxGraph.of(model).opset()).isEqualTo(17);
        assertThat(OnnxGraph.of(model).metadata()).containsEntry("purpose", "test");
        assertThat(model.getGraph().getNode(1).getName()).isEqualTo("Relu");

        float[][] rows = {{1f, 2f, 3f, 4f}, {-1f, 0.5f, 0f, 2f}};
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(model.toByteArray(), new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(env, rows);
             OrtSession.Result result = session.run(Map.of("input", input))) {
            float[][] actual = (float[][]) result.get(0).getValue();
            for (int n = 0; n < rows.length; n++) {
                for (int o = 0; o < 3; o++) {
                    float sum = bias[o];
                    for (int i = 0; i < 4; i++) {
                        sum += rows[n][i] * weights[o * 4 + i];
                    }
                    assertThat(actual[n][o]).isCloseTo(Math.max(0f, sum), org.assertj.core.data.Offset.offset(1e-6f));
                }
            }
        }
    }

    /** Constants become Constant nodes, not initializers, so a trainer never takes a shape or a bound for a weight. */
    @Test
    void constantsAreNodesThatOnnxRuntimeFolds() throws OrtException {
        OnnxModelBuilder b = OnnxModelBuilder.create("reshape");
        String x = b.input("x", DataType.FLOAT, Dim.named("N"), Dim.of(6));
        String shape = b.int64Constant("shape", -1, 2, 3);
        String reshaped = b.node("Reshape").inputs(x, shape).output();
        String clipped = b.node("Clip").inputs(reshaped, b.floatScalar("low", 0f), b.floatScalar("high", 2.5f)).output();
        b.output(clipped, DataType.FLOAT, Dim.named("N"), Dim.of(2), Dim.of(3));
        ModelProto model = b.build();
        assertThat(model.getGraph().getInitializerCount()).isZero();
        assertThat(model.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Constant")).count())
                .isEqualTo(3);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(model.toByteArray(), new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(env, new float[][] {{-1f, 0.5f, 1f, 2f, 3f, 4f}});
             OrtSession.Result result = session.run(Map.of("x", input))) {
            float[][][] actual = (float[][][]) result.get(0).getValue();
            assertThat(actual[0][0]).containsExactly(0f, 0.5f, 1f);
            assertThat(actual[0][1]).containsExactly(2f, 2.5f, 2.5f);
        }
    }

    @Test
    void multiOutputNodesAndUniqueNamesDoNotCollide() {
        OnnxModelBuilder b = OnnxModelBuilder.create("split").opset(18);
        String x = b.input("x", DataType.FLOAT, Dim.of(4));
        var halves = b.node("Split").inputs(x).attribute(Attributes.ofInt("axis", 0))
                .attribute(Attributes.ofInt("num_outputs", 2)).outputs(2);
        assertThat(halves).containsExactly("Split", "Split_1");
        String first = b.node("Relu").inputs(halves.get(0)).output();
        String second = b.node("Relu").inputs(halves.get(1)).output();
        assertThat(first).isNotEqualTo(second);
        assertThat(b.uniqueName("x")).isEqualTo("x_1");
    }

    @Test
    void undefinedInputIsNamedWhereItIsUsed() {
        OnnxModelBuilder b = OnnxModelBuilder.create("bad");
        b.input("x", DataType.FLOAT, Dim.of(2));
        assertThatThrownBy(() -> b.node("Relu").name("act").inputs("y"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("node act reads 'y' that nothing defines")
                .hasMessageContaining("[x]");
    }

    @Test
    void aTensorHasOneProducer() {
        OnnxModelBuilder b = OnnxModelBuilder.create("dup");
        b.input("x", DataType.FLOAT, Dim.of(2));
        assertThatThrownBy(() -> b.initializer("x", new long[] {2}, new float[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already defined (as graph input)");
    }

    @Test
    void aModelWithoutOutputsIsRefused() {
        OnnxModelBuilder b = OnnxModelBuilder.create("empty");
        b.input("x", DataType.FLOAT, Dim.of(2));
        assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("declares no output");
    }

    @Test
    void irVersionFollowsTheOpset() {
        assertThat(OnnxModelBuilder.irVersionFor(13)).isEqualTo(7);
        assertThat(OnnxModelBuilder.irVersionFor(17)).isEqualTo(8);
        assertThat(OnnxModelBuilder.irVersionFor(21)).isEqualTo(10);
    }
}
