package dev.verdant.train.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.Tensors;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Converts between ONNX tensors ({@code TensorProto}, {@link HostTensor}) and DJL NDArrays (element types through
 * {@link ElementTypes}), so every kernel and the exporter agree on one mapping. Every NDArray made here from JVM values
 * lives in memory PyTorch owns ({@link #pytorchOwned}).
 */
public final class NDArrayTensors {

    private NDArrayTensors() {
    }

    /** A tensor's values as an NDArray of the same type and shape, owned by {@code manager}. */
    public static NDArray toNDArray(NDManager manager, TensorProto tensor) {
        DataType type = DataType.of(tensor);
        return fromBytes(manager, ElementTypes.requireDjlType(type), Tensors.dims(tensor), Tensors.toRawBytes(tensor));
    }

    /** A host tensor as an NDArray owned by {@code manager}. */
    public static NDArray toNDArray(NDManager manager, HostTensor tensor) {
        ai.djl.ndarray.types.DataType djl = ElementTypes.requireDjlType(tensor.type());
        int width = djl.getNumOfBytes();
        ByteBuffer buffer = ByteBuffer.allocateDirect(tensor.values().length * width).order(ByteOrder.nativeOrder());
        for (long v : tensor.values()) {
            switch (width) {
                case 1 -> buffer.put((byte) v);
                case 2 -> buffer.putShort((short) v);
                case 4 -> buffer.putInt((int) v);
                default -> buffer.putLong(v);
            }
        }
        buffer.rewind();
        return pytorchOwned(manager, buffer, new Shape(tensor.shape()), djl);
    }

    /** A value as an NDArray, copying a host tensor into {@code manager}. */
    public static NDArray toNDArray(NDManager manager, Value value) {
        return switch (value) {
            case DeviceTensor device -> device.array();
            case HostTensor host -> toNDArray(manager, host);
        };
    }

    /** An initializer or constant as a value: small integer tensors stay on the JVM, the rest go to PyTorch. */
    public static Value toValue(NDManager manager, TensorProto tensor) {
        DataType type = DataType.of(tensor);
        if (isHostType(type) && Tensors.elementCount(tensor) <= HostTensor.MAX_ELEMENTS) {
            return new HostTensor(type, Tensors.dims(tensor), Tensors.toLongs(tensor));
        }
        return new DeviceTensor(toNDArray(manager, tensor));
    }

    /** Integer and boolean types, which shape arithmetic may keep on the JVM. */
    public static boolean isHostType(DataType type) {
        return switch (type) {
            case INT64, INT32, INT8, UINT8, BOOL -> true;
            default -> false;
        };
    }

    /** An NDArray as an ONNX tensor named {@code name}, in raw little-endian form. */
    public static TensorProto toTensorProto(String name, NDArray array) {
        DataType type = ElementTypes.onnxType(array.getDataType());
        ByteBuffer buffer = array.toByteBuffer().order(ByteOrder.nativeOrder());
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new UnsupportedOperationException("exporting tensors needs a little-endian machine");
        }
        return Tensors.raw(name, type, array.getShape().getShape(), bytes);
    }

    /** A small integer or boolean NDArray read back onto the JVM. */
    public static HostTensor toHost(NDArray array) {
        NDArray int64 = array.getDataType() == ai.djl.ndarray.types.DataType.INT64 ? array
                : array.toType(ai.djl.ndarray.types.DataType.INT64, false);
        return new HostTensor(ElementTypes.onnxType(array.getDataType()), array.getShape().getShape(), int64.toLongArray());
    }

    private static NDArray fromBytes(NDManager manager, ai.djl.ndarray.types.DataType type, long[] dims, byte[] le) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(le.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(le).rewind();
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new UnsupportedOperationException("reading tensors needs a little-endian machine");
        }
        return pytorchOwned(manager, buffer.order(ByteOrder.nativeOrder()), new Shape(dims), type);
    }

    /**
     * JVM values as an NDArray in memory PyTorch owns. On the PyTorch engine {@link NDManager#create} does not copy:
     * it hands PyTorch a direct buffer ({@code torch::from_blob}, no deleter) that only the returned NDArray keeps
     * reachable. Autograd may save that tensor for a backward pass that runs after the array was closed with its
     * batch scope, and the GC then frees the buffer under it: wrong gradients, or Gather's "index 34286827716 is out
     * of bounds" on a long MiniLM fine-tune. The copy made here is PyTorch's own, freed with the last tensor using it.
     */
    public static NDArray pytorchOwned(NDManager manager, Buffer values, Shape shape,
            ai.djl.ndarray.types.DataType type) {
        try (NDArray borrowed = manager.create(values, shape, type)) {
            return borrowed.duplicate();
        }
    }

    /**
     * {@code value} as a 0-d NDArray in memory PyTorch owns, of the type {@link NDManager#create(Number)} gives it.
     * Kernels multiply or divide by it instead of calling DJL's {@code mul(Number)}, {@code div(Number)},
     * {@code maximum(Number)}, {@code minimum(Number)} or {@code pow(Number)}: those wrap the number in a borrowed
     * buffer (see {@link #pytorchOwned}) and close it at once, while autograd keeps that operand for the backward
     * pass. {@code add}, {@code sub} and the comparisons keep no operand, so they may take a number.
     */
    public static NDArray scalar(NDManager manager, Number value) {
        try (NDArray borrowed = manager.create(value)) {
            return borrowed.duplicate();
        }
    }

    /** {@code x * factor}, the factor in memory PyTorch owns ({@link #scalar}): autograd may keep it for backward. */
    public static NDArray times(NDArray x, Number factor) {
        return x.mul(scalar(x.getManager(), factor));
    }

    /** {@code x / divisor}, the divisor in memory PyTorch owns ({@link #scalar}). */
    public static NDArray dividedBy(NDArray x, Number divisor) {
        return x.div(scalar(x.getManager(), divisor));
    }
}
