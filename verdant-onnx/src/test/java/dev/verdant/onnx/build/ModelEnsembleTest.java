package dev.verdant.onnx.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxGraph;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class ModelEnsembleTest {

    /** Three two-layer classifiers with the same names inside: the ensemble's output is the mean of theirs in ORT. */
    @Test
    void ensembleOutputIsTheMeanOfTheMembersOutputsInOnnxRuntime() throws OrtException {
        List<ModelProto> members = List.of(classifier(1, 4), classifier(2, 4), classifier(3, 4));
        assertThat(OnnxGraph.of(members.get(1)).metadata()).containsEntry("seed", "2");
        ModelProto ensemble = ModelEnsemble.mean(members);

        assertThat(OnnxGraph.of(ensemble).inputs()).hasSize(1);
        assertThat(ensemble.getGraph().getOutput(0).getName()).isEqualTo("logits");
        assertThat(ensemble.getGraph().getInitializerCount()).isEqualTo(12);
        assertThat(OnnxGraph.of(ensemble).metadata()).containsKey("verdant.ensemble")
                .containsEntry("m1/seed", "1").containsEntry("m2/seed", "2").containsEntry("m3/seed", "3");

        float[][] rows = {{1f, 2f, 3f, 4f}, {-1f, 0.5f, 0f, 2f}, {0.3f, -0.7f, 1.1f, 0f}};
        float[][] expected = new float[rows.length][3];
        for (ModelProto member : members) {
            float[][] out = run(member, "x", rows);
            for (int n = 0; n < rows.length; n++) {
                for (int c = 0; c < 3; c++) {
                    expected[n][c] += out[n][c] / members.size();
                }
            }
        }
        float[][] actual = run(ensemble, "x", rows);
        for (int n = 0; n < rows.length; n++) {
            for (int c = 0; c < 3; c++) {
                assertThat(actual[n][c]).isCloseTo(expected[n][c], Offset.offset(1e-5f));
            }
        }
        // the members differ, so the mean is not any one of them
        assertThat(actual[0][0]).isNotCloseTo(run(members.get(0), "x", rows)[0][0], Offset.offset(1e-4f));
    }

    @Test
    void membersWithDifferentInputsOrTooFewAreRefusedByName() {
        assertThatThrownBy(() -> ModelEnsemble.mean(List.of(classifier(1, 4), classifier(2, 5))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("member 2").hasMessageContaining("input");
        assertThatThrownBy(() -> ModelEnsemble.mean(List.of(classifier(1, 4))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2");
    }

    /** x [N, features] -> Gemm(5) -> Relu -> Gemm(3) = logits, seeded weights, the same names in every member. */
    private static ModelProto classifier(long seed, int features) {
        Random random = new Random(seed);
        OnnxModelBuilder b = OnnxModelBuilder.create("member").metadata("seed", Long.toString(seed));
        String x = b.input("x", DataType.FLOAT, Dim.named("N"), Dim.of(features));
        String h = b.node("Gemm").name("fc1").inputs(x, b.initializer("fc1.weight", new long[] {5, features},
                gaussian(random, 5 * features)), b.initializer("fc1.bias", new long[] {5}, gaussian(random, 5)))
                .attribute(Attributes.ofInt("transB", 1)).output();
        String r = b.node("Relu").name("relu").inputs(h).output();
        String y = b.node("Gemm").name("fc2").inputs(r, b.initializer("fc2.weight", new long[] {3, 5},
                gaussian(random, 15)), b.initializer("fc2.bias", new long[] {3}, gaussian(random, 3)))
                .attribute(Attributes.ofInt("transB", 1)).output("logits");
        b.output(y, DataType.FLOAT, Dim.named("N"), Dim.of(3));
        return b.build();
    }

    private static float[] gaussian(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    private static float[][] run(ModelProto model, String input, float[][] rows) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(model.toByteArray(), new OrtSession.SessionOptions());
             OnnxTensor tensor = OnnxTensor.createTensor(env, rows);
             OrtSession.Result result = session.run(Map.of(input, tensor))) {
            return (float[][]) result.get(0).getValue();
        }
    }
}
