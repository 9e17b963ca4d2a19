package dev.verdant.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.TensorProto;
import org.junit.jupiter.api.Test;

class TensorsTest {

    @Test
    void floatsRoundTripThroughRawData() {
        float[] values = {1.5f, -0f, Float.MIN_VALUE, 3.25e7f, Float.NaN, -2f};
        TensorProto tensor = Tensors.ofFloats("w", new long[] {2, 3}, values);
        assertThat(Tensors.toFloats(tensor)).containsExactly(values);
        assertThat(Tensors.elementCount(tensor)).isEqualTo(6);
        assertThat(Tensors.storedBytes(tensor)).isEqualTo(24);
    }

    @Test
    void typedFieldsAreReadToo() {
        TensorProto floats = TensorProto.newBuilder().setName("f").setDataType(1).addDims(3)
                .addFloatData(1).addFloatData(2).addFloatData(3).build();
        TensorProto int64 = TensorProto.newBuilder().setName("i").setDataType(7).addDims(2)
                .addInt64Data(-5).addInt64Data(1L << 40).build();
        TensorProto uint8 = TensorProto.newBuilder().setName("u").setDataType(2).addDims(2)
                .addInt32Data(200).addInt32Data(7).build();
        assertThat(Tensors.toFloats(floats)).containsExactly(1, 2, 3);
        assertThat(Tensors.toLongs(int64)).containsExactly(-5, 1L << 40);
        assertThat(Tensors.toLongs(uint8)).containsExactly(200, 7);
        assertThat(Tensors.toRawBytes(floats)).hasSize(12);
    }

    @Test
    void float16AndInt8RawDataDecode() {
        TensorProto half = Tensors.raw("h", DataType.FLOAT16, new long[] {2},
                new byte[] {0x00, 0x3C, 0x00, (byte) 0xC0}); // 1.0, -2.0 little-endian
        assertThat(Tensors.toFloats(half)).containsExactly(1f, -2f);
        TensorProto int8 = Tensors.ofBytes("q", DataType.INT8, new long[] {3}, new byte[] {-128, 0, 127});
        assertThat(Tensors.toLongs(int8)).containsExactly(-128, 0, 127);
        TensorProto uint8 = Tensors.ofBytes("q", DataType.UINT8, new long[] {2}, new byte[] {(byte) 255, 1});
        assertThat(Tensors.toFloats(uint8)).containsExactly(255f, 1f);
    }

    @Test
    void wrongValueCountOrRawSizeIsRejected() {
        assertThatThrownBy(() -> Tensors.ofFloats("w", new long[] {2, 2}, new float[3]))
                .hasMessageContaining("has 3 values but its dims [2, 2] hold 4");
        TensorProto bad = Tensors.raw("w", DataType.FLOAT, new long[] {4}, new byte[8]);
        assertThatThrownBy(() -> Tensors.toFloats(bad)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("holds 8 bytes");
    }
}
