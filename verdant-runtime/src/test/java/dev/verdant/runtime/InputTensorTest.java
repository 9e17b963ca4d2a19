package dev.verdant.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.build.Dim;
import dev.verdant.onnx.build.OnnxModelBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every element type an input file may bring reaches ONNX Runtime with its values: each is cast to float there. */
class InputTensorTest {

    /** A model that casts its one input of {@code type} to float32: ONNX Runtime says what values it received. */
    private static ModelProto castToFloat(DataType type) {
        OnnxModelBuilder b = OnnxModelBuilder.create("cast-" + type.onnxName()).opset(17);
        String x = b.input("x", type, Dim.of(4));
        b.output(b.node("Cast").inputs(x).attributes(Attributes.ofInt("to", DataType.FLOAT.code())).output("y"),
                DataType.FLOAT, Dim.of(4));
        return b.build();
    }

    private static float[] throughOrt(InputTensor tensor) {
        try (OrtRunner runner = OrtRunner.open(castToFloat(tensor.type()), SessionSpec.threads(1))) {
            return runner.run(Map.of("x", tensor)).get("y").values();
        }
    }

    @Test
    void everyTypeReachesOnnxRuntimeWithItsValues() {
        long[] shape = {4};
        assertThat(throughOrt(InputTensor.ofInts(shape, new int[] {-70000, -1, 0, 123456})))
                .containsExactly(-70000f, -1f, 0f, 123456f);
        assertThat(throughOrt(InputTensor.ofDoubles(shape, new double[] {-2.5, 0, 1e-3, 1e30})))
                .containsExactly(-2.5f, 0f, 1e-3f, 1e30f);
        assertThat(throughOrt(InputTensor.ofBooleans(shape, new boolean[] {true, false, false, true})))
                .containsExactly(1f, 0f, 0f, 1f);
        assertThat(throughOrt(InputTensor.ofLittleEndian(shape, DataType.UINT8, new byte[] {0, 1, (byte) 200,
                (byte) 255}))).containsExactly(0f, 1f, 200f, 255f);
        assertThat(throughOrt(InputTensor.ofLittleEndian(shape, DataType.INT8, new byte[] {-128, -1, 0, 127})))
                .containsExactly(-128f, -1f, 0f, 127f);
        assertThat(throughOrt(InputTensor.ofLittleEndian(shape, DataType.INT16, new byte[] {0, -128, -1, -1, 1, 0,
                -1, 127}))).containsExactly(-32768f, -1f, 1f, 32767f);
        // float16 1.0 = 0x3C00, -2.0 = 0xC000, 0.5 = 0x3800, 65504 = 0x7BFF (little-endian byte pairs)
        assertThat(throughOrt(InputTensor.ofLittleEndian(shape, DataType.FLOAT16, new byte[] {0, 0x3C, 0,
                (byte) 0xC0, 0, 0x38, (byte) 0xFF, 0x7B}))).containsExactly(1f, -2f, 0.5f, 65504f);
        assertThat(throughOrt(InputTensor.ofLittleEndian(shape, DataType.FLOAT, new byte[] {0, 0, (byte) 0x80,
                0x3F, 0, 0, 0, 0, 0, 0, 0, (byte) 0xC0, 0, 0, 0, 0x3F}))).containsExactly(1f, 0f, -2f, 0.5f);
    }

    @Test
    void floatAndInt64BytesBecomeTheArraysCallersAlreadyRead() {
        InputTensor floats = InputTensor.ofLittleEndian(new long[] {1}, DataType.FLOAT, new byte[] {0, 0, (byte) 0x80,
                0x3F});
        assertThat(floats.floats()).containsExactly(1f);
        assertThat(floats.raw()).isNull();
        InputTensor longs = InputTensor.ofLittleEndian(new long[] {}, DataType.INT64, new byte[] {5, 0, 0, 0, 0, 0, 0,
                0});
        assertThat(longs.longs()).containsExactly(5L);
        assertThat(longs.type()).isEqualTo(DataType.INT64);
        assertThat(longs.elementCount()).isEqualTo(1);
    }

    @Test
    void aByteCountOtherThanTheShapesOrAnUnsupportedTypeIsRefused() {
        assertThatThrownBy(() -> InputTensor.ofLittleEndian(new long[] {2}, DataType.INT32, new byte[4]))
                .hasMessage("shape [2] of int32 needs 8 bytes, got 4");
        assertThatThrownBy(() -> InputTensor.ofLittleEndian(new long[] {1}, DataType.UINT64, new byte[8]))
                .hasMessageStartingWith("uint64 values are not supported as model inputs");
        assertThatThrownBy(() -> new InputTensor(new long[] {1}, new float[1], new long[1]))
                .hasMessageContaining("exactly one");
    }

    @Test
    void examplesOfOneShapeStackAlongTheBatchAxisAndOthersAreOneLine() {
        InputTensor a = InputTensor.ofInts(new long[] {1, 2}, new int[] {1, 2});
        InputTensor b = InputTensor.ofInts(new long[] {1, 2}, new int[] {3, 4});
        InputTensor stacked = InputTensors.stack("ids", List.of(a, b));
        assertThat(stacked.shape()).containsExactly(2, 2);
        assertThat(throughOrt(stacked.reshaped(new long[] {4}))).containsExactly(1f, 2f, 3f, 4f);
        InputTensor rate = InputTensor.ofLongs(new long[] {}, new long[] {16000});
        assertThat(InputTensors.stack("sr", List.of(rate, InputTensor.ofLongs(new long[] {}, new long[] {16000})))
                .longs()).containsExactly(16000L);
        assertThatThrownBy(() -> InputTensors.stack("x", List.of(a, InputTensor.ofInts(new long[] {1, 3},
                new int[3])))).hasMessage("input 'x' has examples of int32 [1, 2] and int32 [1, 3], which do not "
                + "stack into one batch; use --batch 1");
        assertThatThrownBy(() -> InputTensors.stack("sr", List.of(rate, InputTensor.ofLongs(new long[] {},
                new long[] {8000})))).hasMessageContaining("scalar that differs");
        assertThat(InputTensors.stackable(List.of(stacked, stacked))).isFalse();
    }
}
