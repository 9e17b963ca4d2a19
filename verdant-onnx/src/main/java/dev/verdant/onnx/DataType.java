package dev.verdant.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.Arrays;

/** ONNX tensor element types with their sizes on disk, so sizes and byte counts are computed in one place. */
public enum DataType {
    UNDEFINED(0, 0, false),
    FLOAT(1, 4, true),
    UINT8(2, 1, false),
    INT8(3, 1, false),
    UINT16(4, 2, false),
    INT16(5, 2, false),
    INT32(6, 4, false),
    INT64(7, 8, false),
    STRING(8, 0, false),
    BOOL(9, 1, false),
    FLOAT16(10, 2, true),
    DOUBLE(11, 8, true),
    UINT32(12, 4, false),
    UINT64(13, 8, false),
    COMPLEX64(14, 8, false),
    COMPLEX128(15, 16, false),
    BFLOAT16(16, 2, true),
    FLOAT8E4M3FN(17, 1, true),
    FLOAT8E4M3FNUZ(18, 1, true),
    FLOAT8E5M2(19, 1, true),
    FLOAT8E5M2FNUZ(20, 1, true),
    UINT4(21, 1, false),
    INT4(22, 1, false);

    private final int code;
    private final int bytes;
    private final boolean floatingPoint;

    DataType(int code, int bytes, boolean floatingPoint) {
        this.code = code;
        this.bytes = bytes;
        this.floatingPoint = floatingPoint;
    }

    /** The value of {@code TensorProto.DataType} in ONNX files. */
    public int code() {
        return code;
    }

    /** Bytes per element (0 for strings; 4-bit types report 1 and are counted as half in {@link Tensors}). */
    public int bytes() {
        return bytes;
    }

    public boolean isFloatingPoint() {
        return floatingPoint;
    }

    /** The lower-case name ONNX tools print, e.g. {@code float}, {@code int8}. */
    public String onnxName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static DataType of(int code) {
        return Arrays.stream(values()).filter(t -> t.code == code).findFirst()
                .orElseThrow(() -> new ModelFormatException("unknown ONNX tensor data type " + code));
    }

    public static DataType of(TensorProto tensor) {
        return of(tensor.getDataType());
    }
}
