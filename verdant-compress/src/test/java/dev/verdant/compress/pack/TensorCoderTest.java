package dev.verdant.compress.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.Tensors;
import org.junit.jupiter.api.Test;

/** Records that pass the checksum but lie (a crafted or buggy file) are refused before any large allocation. */
class TensorCoderTest {

    private static ByteSink header(long... dims) {
        ByteSink out = new ByteSink();
        out.string("w");
        out.varint(0);
        out.u8(DataType.FLOAT.code());
        out.varint(dims.length);
        for (long dim : dims) {
            out.varint(dim);
        }
        return out;
    }

    private static TensorCoder.Decoded read(ByteSink sink) {
        byte[] bytes = sink.toByteArray();
        return TensorCoder.read(new ByteSource(bytes, 0, bytes.length));
    }

    @Test
    void aTensorLargerThanAnyModelIsRefused() {
        ByteSink out = header(1L << 15, 1L << 15);
        out.u8(TensorCoder.LAYOUT_DENSE);
        assertThatThrownBy(() -> read(out)).hasMessageContaining("more than a model holds");
    }

    @Test
    void aDenseTensorNeedsAtLeastOneBitPerElement() {
        ByteSink out = header(1000);
        out.u8(TensorCoder.LAYOUT_DENSE);
        out.u8(TensorCoder.VALUES_CODEBOOK);
        out.varint(1);
        out.u32(Float.floatToRawIntBits(0.5f));
        out.varint(1); // alphabet of one symbol
        out.u8(0x10); // its code length 1
        out.block(new byte[2]); // 16 bits for 1000 elements
        assertThatThrownBy(() -> read(out)).hasMessageContaining("1000 elements but 2 bytes");
    }

    @Test
    void writtenRecordsReadBackWithTheirPosition() {
        float[] values = {0, 0, 0, 1.5f, 0, 0, -2f, 0};
        TensorProto tensor = Tensors.ofFloats("w", new long[] {2, 4}, values);
        ByteSink out = new ByteSink();
        TensorStats stats = TensorCoder.writeFloats(out, tensor, 7);
        assertThat(stats.packedBytes()).isEqualTo(out.size());
        TensorCoder.Decoded decoded = read(out);
        assertThat(decoded.position()).isEqualTo(7);
        assertThat(Tensors.toFloats(decoded.tensor())).containsExactly(values);
        assertThat(Tensors.dims(decoded.tensor())).containsExactly(2, 4);
    }
}
