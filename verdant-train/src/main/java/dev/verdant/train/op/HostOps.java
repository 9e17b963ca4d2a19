package dev.verdant.train.op;

import dev.verdant.onnx.Broadcasting;
import dev.verdant.onnx.DataType;
import java.util.function.LongBinaryOperator;

/** Shape arithmetic on {@link HostTensor}s: numpy broadcasting, gather, slice, concat, in plain Java. */
final class HostOps {

    private HostOps() {
    }

    /** The numpy broadcast of two shapes, or an {@link IllegalArgumentException} when they do not broadcast. */
    static long[] broadcastShape(long[] a, long[] b) {
        return Broadcasting.shape(a, b);
    }

    /** The element of {@code source} that output position {@code flat} of a broadcast to {@code outShape} reads. */
    private static long broadcastRead(HostTensor source, long[] outShape, long[] outStrides, long flat) {
        long[] shape = source.shape();
        long[] strides = Broadcasting.strides(shape);
        int offset = outShape.length - shape.length;
        long index = 0;
        for (int axis = 0; axis < outShape.length; axis++) {
            long coordinate = (flat / outStrides[axis]) % outShape[axis];
            if (axis >= offset && shape[axis - offset] != 1) {
                index += coordinate * strides[axis - offset];
            }
        }
        return source.values()[(int) index];
    }

    /** An elementwise binary op with broadcasting. */
    static HostTensor binary(HostTensor a, HostTensor b, DataType outType, LongBinaryOperator op) {
        long[] shape = broadcastShape(a.shape(), b.shape());
        long[] strides = Broadcasting.strides(shape);
        long[] values = new long[Math.toIntExact(HostTensor.elementCount(shape))];
        for (int i = 0; i < values.length; i++) {
            values[i] = op.applyAsLong(broadcastRead(a, shape, strides, i), broadcastRead(b, shape, strides, i));
        }
        return new HostTensor(outType, shape, values);
    }

    /** {@code Where} with broadcasting over all three inputs. */
    static HostTensor where(HostTensor condition, HostTensor x, HostTensor y) {
        long[] shape = broadcastShape(condition.shape(), broadcastShape(x.shape(), y.shape()));
        long[] strides = Broadcasting.strides(shape);
        long[] values = new long[Math.toIntExact(HostTensor.elementCount(shape))];
        for (int i = 0; i < values.length; i++) {
            values[i] = broadcastRead(condition, shape, strides, i) != 0 ? broadcastRead(x, shape, strides, i)
                    : broadcastRead(y, shape, strides, i);
        }
        return new HostTensor(x.type(), shape, values);
    }

    /** {@code Expand}: broadcast to a shape. */
    static HostTensor expand(HostTensor x, long[] target) {
        long[] shape = broadcastShape(x.shape(), target);
        long[] strides = Broadcasting.strides(shape);
        long[] values = new long[Math.toIntExact(HostTensor.elementCount(shape))];
        for (int i = 0; i < values.length; i++) {
            values[i] = broadcastRead(x, shape, strides, i);
        }
        return new HostTensor(x.type(), shape, values);
    }

    /** ONNX {@code Gather} along {@code axis}; negative indices count from the end. */
    static HostTensor gather(HostTensor data, HostTensor indices, int axis) {
        long[] shape = data.shape();
        long outer = Axes.product(shape, 0, axis);
        long inner = Axes.product(shape, axis + 1, shape.length);
        long dim = shape[axis];
        long[] idx = indices.values();
        long[] values = new long[Math.toIntExact(outer * idx.length * inner)];
        int n = 0;
        for (long o = 0; o < outer; o++) {
            for (long index : idx) {
                long k = index < 0 ? index + dim : index;
                if (k < 0 || k >= dim) {
                    throw new IllegalArgumentException("Gather index " + index + " out of range for dim " + dim);
                }
                for (long i = 0; i < inner; i++) {
                    values[n++] = data.values()[(int) ((o * dim + k) * inner + i)];
                }
            }
        }
        long[] outShape = new long[shape.length - 1 + indices.rank()];
        System.arraycopy(shape, 0, outShape, 0, axis);
        System.arraycopy(indices.shape(), 0, outShape, axis, indices.rank());
        System.arraycopy(shape, axis + 1, outShape, axis + indices.rank(), shape.length - axis - 1);
        return new HostTensor(data.type(), outShape, values);
    }

    /** Concatenation along {@code axis}. */
    static HostTensor concat(HostTensor[] parts, int axis) {
        long[] shape = parts[0].shape().clone();
        long total = 0;
        for (HostTensor part : parts) {
            total += part.shape()[axis];
        }
        shape[axis] = total;
        long outer = Axes.product(shape, 0, axis);
        long[] values = new long[Math.toIntExact(HostTensor.elementCount(shape))];
        int n = 0;
        for (long o = 0; o < outer; o++) {
            for (HostTensor part : parts) {
                int block = Math.toIntExact(part.values().length / outer);
                System.arraycopy(part.values(), (int) (o * block), values, n, block);
                n += block;
            }
        }
        return new HostTensor(parts[0].type(), shape, values);
    }

    /** A strided slice: per axis {@code starts[a]}, {@code counts[a]} elements, {@code steps[a]} apart. */
    static HostTensor slice(HostTensor data, long[] starts, long[] counts, long[] steps) {
        long[] shape = data.shape();
        long[] inStrides = Broadcasting.strides(shape);
        long[] outShape = counts.clone();
        long[] outStrides = Broadcasting.strides(outShape);
        long[] values = new long[Math.toIntExact(HostTensor.elementCount(outShape))];
        for (int i = 0; i < values.length; i++) {
            long index = 0;
            for (int axis = 0; axis < shape.length; axis++) {
                long coordinate = (i / outStrides[axis]) % outShape[axis];
                index += (starts[axis] + coordinate * steps[axis]) * inStrides[axis];
            }
            values[i] = data.values()[(int) index];
        }
        return new HostTensor(data.type(), outShape, values);
    }

    /** The same elements with another shape. */
    static HostTensor reshape(HostTensor data, long[] shape) {
        return new HostTensor(data.type(), shape, data.values());
    }

    /** Converts integer values to another integer type, wrapping like a C cast. */
    static HostTensor cast(HostTensor data, DataType to) {
        long[] values = data.values().clone();
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (to) {
                case BOOL -> values[i] != 0 ? 1 : 0;
                case INT8 -> (byte) values[i];
                case UINT8 -> values[i] & 0xFF;
                case INT16 -> (short) values[i];
                case INT32 -> (int) values[i];
                default -> values[i];
            };
        }
        return new HostTensor(to, data.shape(), values);
    }
}
