package dev.verdant.runtime;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.Tensors;
import java.util.Arrays;

/**
 * What shape inference knows about one tensor: its element type, its concrete dims and, for a small integer or
 * bool tensor whose contents follow from constants and shapes (the Shape → Gather → Concat → Reshape chains
 * exporters write), its values in row-major order.
 *
 * @param type   element type
 * @param shape  concrete dims
 * @param values the values as longs, or null when not known (always null for floating-point tensors)
 * @param floats the values of a small floating-point constant (Resize's scales), or null when not known
 */
record TensorFacts(DataType type, long[] shape, long[] values, float[] floats) {

    /** The most elements whose values are tracked; shape tensors hold a handful. */
    static final int MAX_VALUES = 1024;

    TensorFacts {
        shape = shape.clone();
        if (values != null && (type.isFloatingPoint() || values.length != count(shape) || values.length > MAX_VALUES)) {
            values = null;
        }
        if (floats != null && (!type.isFloatingPoint() || floats.length != count(shape) || floats.length > MAX_VALUES)) {
            floats = null;
        }
    }

    /** Facts with integer values (or none). */
    TensorFacts(DataType type, long[] shape, long[] values) {
        this(type, shape, values, null);
    }

    /** The facts of a constant: its values when it is small (integers as longs, floating point as floats). */
    static TensorFacts ofConstant(TensorProto tensor) {
        DataType type = DataType.of(tensor);
        long[] dims = Tensors.dims(tensor);
        boolean small = count(dims) <= MAX_VALUES;
        boolean integral = !type.isFloatingPoint() && type != DataType.STRING && type != DataType.INT4
                && type != DataType.UINT4;
        boolean real = type == DataType.FLOAT || type == DataType.DOUBLE;
        return new TensorFacts(type, dims, small && integral ? Tensors.toLongs(tensor) : null,
                small && real ? Tensors.toFloats(tensor) : null);
    }

    static TensorFacts of(DataType type, long[] shape) {
        return new TensorFacts(type, shape, null);
    }

    /** A 1-D int64 tensor of these values, as Shape makes. */
    static TensorFacts int64s(long... values) {
        return new TensorFacts(DataType.INT64, new long[] {values.length}, values);
    }

    long elements() {
        return count(shape);
    }

    int rank() {
        return shape.length;
    }

    /**
     * Bytes the tensor holds (at least one byte an element: sub-byte types are estimated high), saturating at
     * {@code Long.MAX_VALUE}.
     */
    long bytes() {
        long n = 1;
        for (long d : shape) {
            n = d != 0 && n > Long.MAX_VALUE / d ? Long.MAX_VALUE : n * d;
        }
        int size = Math.max(1, type.bytes());
        return n > Long.MAX_VALUE / size ? Long.MAX_VALUE : n * size;
    }

    boolean hasValues() {
        return values != null;
    }

    /** The same facts with another shape; values keep their order (Reshape, Squeeze, Unsqueeze, Flatten). */
    TensorFacts reshaped(long[] dims) {
        return new TensorFacts(type, dims, values, floats);
    }

    static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TensorFacts f && f.type == type && Arrays.equals(f.shape, shape)
                && Arrays.equals(f.values, values) && Arrays.equals(f.floats, floats);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * type.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(values))
                + Arrays.hashCode(floats);
    }

    @Override
    public String toString() {
        return type.onnxName() + Arrays.toString(shape) + (values != null ? "=" + Arrays.toString(values)
                : floats != null ? "=" + Arrays.toString(floats) : "");
    }
}
