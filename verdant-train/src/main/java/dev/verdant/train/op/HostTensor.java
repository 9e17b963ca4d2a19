package dev.verdant.train.op;

import dev.verdant.onnx.DataType;
import java.util.Arrays;

/**
 * A small integer or boolean tensor computed on the JVM, row-major: shapes, indices and axes that a graph derives
 * from its input shapes, so PyTorch never sees that arithmetic.
 *
 * @param type   an integer or boolean ONNX type
 * @param shape  the dims ({@code []} for a scalar)
 * @param values the elements in row-major order, booleans as 0 and 1
 */
public record HostTensor(DataType type, long[] shape, long[] values) implements Value {

    /** The largest tensor the interpreter keeps on the JVM; bigger results go to PyTorch. */
    public static final int MAX_ELEMENTS = 4096;

    public HostTensor {
        if (type.isFloatingPoint() || type == DataType.STRING) {
            throw new IllegalArgumentException("host tensors hold integers and booleans, not " + type.onnxName());
        }
        if (elementCount(shape) != values.length) {
            throw new IllegalArgumentException("host tensor of shape " + Arrays.toString(shape) + " given "
                    + values.length + " values");
        }
    }

    /** A 1-D int64 tensor. */
    public static HostTensor vector(long... values) {
        return new HostTensor(DataType.INT64, new long[] {values.length}, values);
    }

    /** A scalar of the given type. */
    public static HostTensor scalar(DataType type, long value) {
        return new HostTensor(type, new long[0], new long[] {value});
    }

    public int rank() {
        return shape.length;
    }

    public static long elementCount(long[] shape) {
        long count = 1;
        for (long dim : shape) {
            count *= dim;
        }
        return count;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HostTensor that && type == that.type && Arrays.equals(shape, that.shape)
                && Arrays.equals(values, that.values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * type.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return type.onnxName() + Arrays.toString(shape) + Arrays.toString(values);
    }
}
