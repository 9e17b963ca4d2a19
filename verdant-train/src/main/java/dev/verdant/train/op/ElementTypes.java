package dev.verdant.train.op;

import dev.verdant.onnx.DataType;
import java.util.Optional;

/**
 * The one mapping between ONNX element types and the DJL types PyTorch holds, for the interpreter's tensors, its
 * kernels and the exporter.
 */
public final class ElementTypes {

    private ElementTypes() {
    }

    /**
     * The DJL type PyTorch uses for an ONNX type, empty where the interpreter cannot hold it: strings, unsigned
     * 16/32/64-bit, 4- and 8-bit floats, and also int16 and bfloat16, which PyTorch has but DJL 0.35's JNI layer
     * aborts the JVM on (seen in the ONNX node tests Max/int16 and Cast/bfloat16).
     */
    public static Optional<ai.djl.ndarray.types.DataType> djlType(DataType type) {
        return Optional.ofNullable(switch (type) {
            case FLOAT -> ai.djl.ndarray.types.DataType.FLOAT32;
            case DOUBLE -> ai.djl.ndarray.types.DataType.FLOAT64;
            case FLOAT16 -> ai.djl.ndarray.types.DataType.FLOAT16;
            case UINT8 -> ai.djl.ndarray.types.DataType.UINT8;
            case INT8 -> ai.djl.ndarray.types.DataType.INT8;
            case INT32 -> ai.djl.ndarray.types.DataType.INT32;
            case INT64 -> ai.djl.ndarray.types.DataType.INT64;
            case BOOL -> ai.djl.ndarray.types.DataType.BOOLEAN;
            default -> null;
        });
    }

    /** Whether the interpreter can hold tensors of this ONNX type. */
    public static boolean isSupported(DataType type) {
        return djlType(type).isPresent();
    }

    /** The DJL type for an ONNX type, or an {@link UnsupportedOperationException} naming it. */
    public static ai.djl.ndarray.types.DataType requireDjlType(DataType type) {
        return djlType(type).orElseThrow(() -> new UnsupportedOperationException(
                "tensor type " + type.onnxName() + " is not supported by the PyTorch engine"));
    }

    /** The ONNX type of a DJL type. */
    public static DataType onnxType(ai.djl.ndarray.types.DataType type) {
        return switch (type) {
            case FLOAT32 -> DataType.FLOAT;
            case FLOAT64 -> DataType.DOUBLE;
            case FLOAT16 -> DataType.FLOAT16;
            case BFLOAT16 -> DataType.BFLOAT16;
            case UINT8 -> DataType.UINT8;
            case INT8 -> DataType.INT8;
            case INT16 -> DataType.INT16;
            case INT32 -> DataType.INT32;
            case INT64 -> DataType.INT64;
            case BOOLEAN -> DataType.BOOL;
            case UINT16 -> DataType.UINT16;
            case UINT32 -> DataType.UINT32;
            case UINT64 -> DataType.UINT64;
            default -> throw new UnsupportedOperationException("DJL type " + type + " has no ONNX counterpart here");
        };
    }
}
