package dev.verdant.train.op;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.verdant.train.graph.CompiledGraph;
import dev.verdant.train.graph.GraphInterpreter;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tensors made from JVM values survive until backward. DJL's PyTorch engine wraps a JVM direct buffer without copying
 * it and only the NDArray keeps that buffer reachable; {@link CompiledGraph#forward} closes its scope, and with it those
 * arrays, before the caller runs backward. Each test therefore lets the GC free every unreachable direct buffer
 * between forward and backward (glibc then overwrites the first bytes of a freed block), and checks the gradients.
 */
class PytorchOwnedMemoryTest {

    private static final int SIZE = 64;

    @Test
    void aCopyPytorchOwnsIgnoresLaterWritesToTheJvmBuffer() {
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(3 * Long.BYTES).order(ByteOrder.nativeOrder());
            buffer.asLongBuffer().put(new long[] {4, 5, 6});
            NDArray owned = NDArrayTensors.pytorchOwned(manager, buffer, new Shape(3),
                    ai.djl.ndarray.types.DataType.INT64);
            buffer.asLongBuffer().put(new long[] {34286827716L, -1, -1}); // the JVM reuses the block
            assertThat(owned.toLongArray()).containsExactly(4, 5, 6);
        }
    }

    @Test
    void scalarsHaveTheTypeDjlGivesANumber() {
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            for (Number value : new Number[] {0.25f, 0.25d, 7, 7L}) {
                NDArray scalar = NDArrayTensors.scalar(manager, value);
                try (NDArray reference = manager.create(value)) {
                    assertThat(scalar.getDataType()).as("%s", value.getClass()).isEqualTo(reference.getDataType());
                    assertThat(scalar.getShape()).isEqualTo(new Shape());
                    assertThat(asDouble(scalar)).isEqualTo(asDouble(reference));
                }
            }
        }
    }

    private static double asDouble(NDArray scalar) {
        return scalar.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
    }

    @Test
    void aHostConstantConditionOfWhereSurvivesUntilBackward() throws InterruptedException {
        OnnxModelBuilder b = OnnxModelBuilder.create("where").opset(17);
        long[] dims = {SIZE};
        byte[] condition = new byte[SIZE];
        for (int i = 16; i < SIZE; i += 2) {
            condition[i] = 1; // false in the first 16 bytes, which a freed block loses first
        }
        String cond = b.initializer(Tensors.raw("cond", DataType.BOOL, dims, condition));
        String out = b.node("Where").inputs(cond, b.initializer("x", dims, new float[SIZE]),
                b.initializer("y", dims, new float[SIZE])).output();
        b.output(out, DataType.FLOAT, Dim.of(SIZE));
        float[] expected = new float[SIZE];
        for (int i = 0; i < SIZE; i++) {
            expected[i] = condition[i];
        }
        assertThat(gradientAfterGc(b.build(), "x")).containsExactly(expected);
    }

    @Test
    void scalarFactorsOfLeakyReluAndReduceMeanSurviveUntilBackward() throws InterruptedException {
        OnnxModelBuilder b = OnnxModelBuilder.create("scalars").opset(17);
        float[] x = new float[SIZE];
        for (int i = 0; i < SIZE; i++) {
            x[i] = i % 3 == 0 ? -1f - i : 1f + i;
        }
        String y = b.node("LeakyRelu").inputs(b.initializer("x", new long[] {SIZE}, x))
                .attribute(Attributes.ofFloat("alpha", 0.25f)).output();
        y = b.node("ReduceMean").inputs(y).attribute(Attributes.ofInt("keepdims", 0)).output();
        b.output(y, DataType.FLOAT);
        float[] expected = new float[SIZE];
        for (int i = 0; i < SIZE; i++) {
            expected[i] = (x[i] < 0 ? 0.25f : 1f) / SIZE;
        }
        assertThat(gradientAfterGc(b.build(), "x")).containsExactly(expected);
    }

    @Test
    void gatherNdRowsFromHostIndicesSurviveUntilBackward() throws InterruptedException {
        OnnxModelBuilder b = OnnxModelBuilder.create("gathernd").opset(17);
        long[] rows = {3, 0, 3, 7, 1, 3};
        String indices = b.initializer(Tensors.ofLongs("rows", new long[] {rows.length, 1}, rows));
        String y = b.node("GatherND").inputs(b.initializer("table", new long[] {8, SIZE / 8}, new float[SIZE]),
                indices).output();
        b.output(y, DataType.FLOAT, Dim.of(rows.length), Dim.of(SIZE / 8));
        float[] expected = new float[SIZE];
        for (long row : rows) {
            for (int column = 0; column < SIZE / 8; column++) {
                expected[(int) row * (SIZE / 8) + column]++;
            }
        }
        assertThat(gradientAfterGc(b.build(), "table")).containsExactly(expected);
    }

    /** d sum(output) / d parameter, with every unreachable direct buffer freed between forward and backward. */
    private static float[] gradientAfterGc(ModelProto model, String parameter) throws InterruptedException {
        try (CompiledGraph graph = GraphInterpreter.compile(model);
             NDManager batch = graph.manager().newSubManager()) {
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray output = graph.forward(batch, Map.of(), true).get(graph.outputNames().getFirst());
                freeUnreachableDirectBuffers();
                collector.backward(output.sum());
            }
            return graph.parameters().stream().filter(p -> p.name().equals(parameter)).findFirst().orElseThrow()
                    .array().getGradient().toFloatArray();
        }
    }

    /** Collects garbage until the JDK's cleaner has released direct buffers (bounded: at most 200 rounds). */
    private static void freeUnreachableDirectBuffers() throws InterruptedException {
        BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).findFirst().orElseThrow();
        long before = direct.getCount();
        for (int round = 0; round < 200 && direct.getCount() >= before; round++) {
            System.gc();
            Thread.sleep(5);
        }
        assertThat(direct.getCount()).as("direct buffers freed by the GC").isLessThan(before);
    }
}
