package dev.verdant.train.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.DataType;
import java.util.Optional;

/**
 * Linear quantization: QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear, and the fused fake-quantize
 * kernel the interpreter runs for a QuantizeLinear → DequantizeLinear pair so a gradient passes straight through.
 */
public final class QuantizationKernels {

    /** The domain of the interpreter's own fused operators. */
    public static final String VERDANT_DOMAIN = "dev.verdant";

    /** The fused op: inputs {@code x, q_scale, q_zero_point, dq_scale, dq_zero_point}; attribute {@code axis}. */
    public static final String FAKE_QUANTIZE = "FakeQuantizeLinear";

    private QuantizationKernels() {
    }

    static void register(OpRegistrations registry) {
        registry.add("QuantizeLinear", 10, context -> {
            DataType type = quantizedType(context, 2);
            NDArray q = quantize(context, context.array(0), 1, 2, type);
            context.output(0, q.toType(ElementTypes.requireDjlType(type), false));
        }, QuantizationKernels::checkQuantize);
        registry.add("DequantizeLinear", 10, context -> context.output(0,
                dequantize(context, context.array(0).toType(context.array(1).getDataType(), false), 1, 2)),
                QuantizationKernels::checkQuantize);
        registry.add("DynamicQuantizeLinear", 11, QuantizationKernels::dynamicQuantize);
        registry.add("MatMulInteger", 10, QuantizationKernels::matMulInteger);
    }

    /**
     * The straight-through fake-quantize kernel: forward {@code dq(q(x))}, backward the identity, i.e.
     * {@code x + (dq(q(x)) - x).stopGradient()}.
     */
    public static Kernel fakeQuantize() {
        return context -> {
            NDArray x = context.array(0);
            DataType type = quantizedType(context, 2);
            NDArray q = quantize(context, x, 1, 2, type);
            NDArray y = dequantize(context, q, 3, 4);
            context.output(0, x.add(y.sub(x).stopGradient()));
        };
    }

    /** The integer type of the quantized values: the zero point's type, else uint8 as the spec defaults. */
    private static DataType quantizedType(KernelContext context, int zeroPointInput) {
        DataType type = context.hasInput(zeroPointInput) ? context.type(zeroPointInput)
                : DataType.of((int) context.intAttribute("output_dtype", DataType.UINT8.code()));
        if (type != DataType.UINT8 && type != DataType.INT8 && type != DataType.INT16 && type != DataType.INT32) {
            throw new UnsupportedOperationException(context.describe() + " quantizes to " + type.onnxName()
                    + ", which the interpreter does not support (uint8, int8, int16 are)");
        }
        return type;
    }

    /** {@code clamp(round_half_even(x / scale) + zero_point)}, as floats holding integer values. */
    private static NDArray quantize(KernelContext context, NDArray x, int scaleInput, int zeroPointInput,
            DataType type) {
        NDArray scale = perAxis(context, context.array(scaleInput), x);
        NDArray q = x.div(scale).round();
        if (context.hasInput(zeroPointInput)) {
            q = q.add(perAxis(context, context.array(zeroPointInput), x).toType(x.getDataType(), false));
        }
        IntegerRange range = IntegerRange.of(type);
        return q.clip(range.min(), range.max());
    }

    /** {@code (q - zero_point) * scale}. */
    private static NDArray dequantize(KernelContext context, NDArray q, int scaleInput, int zeroPointInput) {
        NDArray scale = perAxis(context, context.array(scaleInput), q);
        NDArray centered = q;
        if (context.hasInput(zeroPointInput)) {
            centered = q.sub(perAxis(context, context.array(zeroPointInput), q).toType(q.getDataType(), false));
        }
        return centered.mul(scale);
    }

    /** A 1-D per-channel parameter reshaped to broadcast along {@code axis} of {@code x}; scalars as they are. */
    private static NDArray perAxis(KernelContext context, NDArray parameter, NDArray x) {
        if (parameter.getShape().dimension() == 0 || x.getShape().dimension() == 0) {
            return parameter;
        }
        int rank = x.getShape().dimension();
        int axis = Axes.normalize(context.intAttribute("axis", 1), rank);
        long[] shape = new long[rank];
        java.util.Arrays.fill(shape, 1);
        shape[axis] = parameter.getShape().size();
        return parameter.reshape(new Shape(shape));
    }

    /** The values an integer type holds: uint8, int8, int16, and int32 for any other. */
    private record IntegerRange(long min, long max) {

        static IntegerRange of(DataType type) {
            return switch (type) {
                case UINT8 -> new IntegerRange(0, 255);
                case INT8 -> new IntegerRange(Byte.MIN_VALUE, Byte.MAX_VALUE);
                case INT16 -> new IntegerRange(Short.MIN_VALUE, Short.MAX_VALUE);
                default -> new IntegerRange(Integer.MIN_VALUE, Integer.MAX_VALUE);
            };
        }
    }

    /** uint8 quantization with the scale and zero point taken from the tensor's range (always including 0). */
    private static void dynamicQuantize(KernelContext context) {
        NDArray x = context.array(0);
        NDArray zero = context.manager().zeros(new Shape(), x.getDataType());
        NDArray low = ai.djl.ndarray.NDArrays.minimum(x.min(), zero);
        NDArray high = ai.djl.ndarray.NDArrays.maximum(x.max(), zero);
        NDArray scale = NDArrayTensors.dividedBy(high.sub(low), 255f);
        NDArray zeroPoint = low.neg().div(scale).round().clip(0, 255);
        NDArray y = x.div(scale).round().add(zeroPoint).clip(0, 255);
        context.output(0, y.toType(ai.djl.ndarray.types.DataType.UINT8, false));
        context.output(1, scale);
        context.output(2, zeroPoint.toType(ai.djl.ndarray.types.DataType.UINT8, false));
    }

    /**
     * {@code (A - a_zero_point) (B - b_zero_point)} as int32. float64 holds every int8 product sum exactly (below
     * 2^53) and runs on BLAS, where an integer matmul would not.
     */
    private static void matMulInteger(KernelContext context) {
        ai.djl.ndarray.types.DataType wide = ai.djl.ndarray.types.DataType.FLOAT64;
        NDArray a = context.array(0).toType(wide, false);
        NDArray b = context.array(1).toType(wide, false);
        if (context.hasInput(2)) {
            NDArray zero = context.array(2).toType(wide, false);
            // a per-row zero point of a 2-D A is a column vector
            a = a.sub(zero.getShape().dimension() == 1 && zero.size() > 1 ? zero.reshape(-1, 1) : zero);
        }
        if (context.hasInput(3)) {
            b = b.sub(context.array(3).toType(wide, false));
        }
        context.output(0, a.matMul(b).toType(ai.djl.ndarray.types.DataType.INT32, false));
    }

    private static Optional<String> checkQuantize(NodeProto node, long opset) {
        if (Attributes.getInt(node, "block_size", 0) != 0) {
            return Optional.of("blocked quantization (block_size)");
        }
        if (Attributes.has(node, "output_dtype")) {
            DataType type = DataType.of((int) Attributes.getInt(node, "output_dtype", 0));
            if (type != DataType.UINT8 && type != DataType.INT8 && type != DataType.INT16) {
                return Optional.of("output_dtype " + type.onnxName());
            }
        }
        return Optional.empty();
    }
}
