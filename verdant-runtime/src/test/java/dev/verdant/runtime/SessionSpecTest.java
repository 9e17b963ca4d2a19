package dev.verdant.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.build.Dim;
import dev.verdant.onnx.build.OnnxModelBuilder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionSpecTest {

    @TempDir
    Path dir;

    /** y = Relu(x * 2 + 1), on x[batch, 3]. */
    private static ModelProto affineRelu() {
        OnnxModelBuilder b = OnnxModelBuilder.create("affine_relu");
        String x = b.input("x", DataType.FLOAT, Dim.named("batch"), Dim.of(3));
        String scaled = b.node("Mul").inputs(x, b.floatScalar("two", 2f)).output("scaled");
        String shifted = b.node("Add").inputs(scaled, b.floatScalar("one", 1f)).output("shifted");
        b.node("Relu").inputs(shifted).output("y");
        b.output("y", DataType.FLOAT, Dim.named("batch"), Dim.of(3));
        return b.build();
    }

    private static float[] run(OrtSession session, float[] x) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, x.length});
                OrtSession.Result result = session.run(Map.of("x", input))) {
            return ((float[][]) result.get(0).getValue())[0];
        }
    }

    @Test
    void aModelInMemoryAndTheSameModelOnDiskRunAlikeAtEveryLevel() throws Exception {
        ModelProto model = affineRelu();
        Path file = Files.write(dir.resolve("m.onnx"), model.toByteArray());
        float[] x = {-2f, 0.25f, 3f};
        for (OptLevel level : new OptLevel[] {OptLevel.NO_OPT, OptLevel.ALL_OPT}) {
            SessionSpec spec = SessionSpec.threads(1).withOptimization(level);
            try (OrtSession inMemory = spec.open(model); OrtSession onDisk = spec.open(file)) {
                assertThat(run(inMemory, x)).containsExactly(0f, 1.5f, 7f);
                assertThat(run(onDisk, x)).containsExactly(0f, 1.5f, 7f);
            }
        }
    }

    @Test
    void threadsAreZeroForOnnxRuntimesChoiceOrMore() throws Exception {
        assertThat(SessionSpec.threads(2)).isEqualTo(new SessionSpec(2, OptLevel.ALL_OPT));
        try (OrtSession session = SessionSpec.threads(0).open(affineRelu())) {
            assertThat(run(session, new float[] {1f, 2f, 3f})).containsExactly(3f, 5f, 7f);
        }
        assertThatThrownBy(() -> SessionSpec.threads(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got -1");
        assertThatThrownBy(() -> new SessionSpec(1, null)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Without the arena and memory patterns (the shape probe's sessions) a model runs as it does with them. */
    @Test
    void withoutMemoryPoolsAModelRunsAlike() throws Exception {
        SessionSpec lean = SessionSpec.threads(1).withoutMemoryPools();
        assertThat(lean.pooledMemory()).isFalse();
        assertThat(SessionSpec.threads(1).pooledMemory()).isTrue();
        assertThat(lean.withOptimization(OptLevel.NO_OPT).pooledMemory()).isFalse();
        try (OrtSession session = lean.open(affineRelu())) {
            assertThat(run(session, new float[] {-2f, 0.25f, 3f})).containsExactly(0f, 1.5f, 7f);
        }
    }

    @Test
    void aModelOnnxRuntimeRefusesIsAnOrtExceptionNamingWhy() {
        OnnxModelBuilder b = OnnxModelBuilder.create("unknown_op");
        String x = b.input("x", DataType.FLOAT, Dim.of(1));
        b.node("NoSuchOperator").inputs(x).output("y");
        b.output("y", DataType.FLOAT, Dim.of(1));
        assertThatThrownBy(() -> SessionSpec.threads(1).open(b.build())).isInstanceOf(OrtException.class)
                .hasMessageContaining("NoSuchOperator");
    }
}
