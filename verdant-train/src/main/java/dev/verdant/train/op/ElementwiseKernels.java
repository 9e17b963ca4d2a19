package dev.verdant.train.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import dev.verdant.onnx.DataType;
import java.util.function.BinaryOperator;
import java.util.function.LongBinaryOperator;
import java.util.function.UnaryOperator;

/** Elementwise kernels: unary math, activations, broadcasting arithmetic, comparisons and logic. */
final class ElementwiseKernels {

    private ElementwiseKernels() {
    }

    static void register(OpRegistrations registry) {
        unary(registry, "Abs", 1, NDArray::abs);
        unary(registry, "Neg", 1, NDArray::neg);
        unary(registry, "Exp", 1, NDArray::exp);
        unary(registry, "Log", 1, NDArray::log);
        unary(registry, "Sqrt", 1, NDArray::sqrt);
        unary(registry, "Reciprocal", 1, x -> x.onesLike().div(x));
        unary(registry, "Floor", 1, NDArray::floor);
        unary(registry, "Ceil", 1, NDArray::ceil);
        unary(registry, "Round", 11, NDArray::round);
        unary(registry, "Sign", 9, NDArray::sign);
        unary(registry, "Sin", 7, NDArray::sin);
        unary(registry, "Cos", 7, NDArray::cos);
        unary(registry, "Tan", 7, NDArray::tan);
        unary(registry, "Asin", 7, NDArray::asin);
        unary(registry, "Acos", 7, NDArray::acos);
        unary(registry, "Atan", 7, NDArray::atan);
        // DJL's PyTorch engine lacks the inverse hyperbolics: their closed forms (asinh odd, so no cancellation)
        unary(registry, "Asinh", 9, x -> x.abs().add(x.square().add(1).sqrt()).log().mul(x.sign()));
        unary(registry, "Acosh", 9, x -> x.add(x.square().sub(1).sqrt()).log());
        unary(registry, "Atanh", 9, x -> NDArrayTensors.times(x.add(1).div(x.neg().add(1)).log(), 0.5));
        unary(registry, "Sinh", 9, NDArray::sinh);
        unary(registry, "Cosh", 9, NDArray::cosh);
        unary(registry, "Tanh", 1, NDArray::tanh);
        unary(registry, "Erf", 9, NDArray::erf);
        unary(registry, "Sigmoid", 1, x -> x.getNDArrayInternal().sigmoid());
        unary(registry, "Relu", 1, x -> x.getNDArrayInternal().relu());
        unary(registry, "Softsign", 1, x -> x.div(x.abs().add(1)));
        unary(registry, "Softplus", 1, x -> x.getNDArrayInternal().softPlus());
        unary(registry, "Not", 1, NDArray::logicalNot);
        registry.add("LeakyRelu", 1, context -> {
            float alpha = context.floatAttribute("alpha", 0.01f);
            NDArray x = context.array(0);
            context.output(0, where(x.gte(0), x, NDArrayTensors.times(x, alpha)));
        });
        registry.add("Elu", 1, context -> {
            float alpha = context.floatAttribute("alpha", 1f);
            NDArray x = context.array(0);
            context.output(0, where(x.gte(0), x, NDArrayTensors.times(x.exp().sub(1), alpha)));
        });
        registry.add("Selu", 1, context -> {
            float alpha = context.floatAttribute("alpha", 1.67326319217681884765625f);
            float gamma = context.floatAttribute("gamma", 1.05070102214813232421875f);
            NDArray x = context.array(0);
            context.output(0, NDArrayTensors.times(where(x.gt(0), x, NDArrayTensors.times(x.exp().sub(1), alpha)), gamma));
        });
        registry.add("HardSigmoid", 1, context -> {
            NDArray x = context.array(0);
            context.output(0, hardSigmoid(x, context.floatAttribute("alpha", 0.2f),
                    context.floatAttribute("beta", 0.5f)));
        });
        registry.add("HardSwish", 14, context -> {
            NDArray x = context.array(0);
            context.output(0, x.mul(hardSigmoid(x, 1f / 6, 0.5f)));
        });
        registry.add("Celu", 12, context -> {
            float alpha = context.floatAttribute("alpha", 1f);
            NDArray x = context.array(0);
            context.output(0, where(x.gt(0), x, NDArrayTensors.times(NDArrayTensors.dividedBy(x, alpha).exp().sub(1), alpha)));
        });
        registry.add("ThresholdedRelu", 10, context -> {
            NDArray x = context.array(0);
            context.output(0, where(x.gt(context.floatAttribute("alpha", 1f)), x, x.zerosLike()));
        });
        registry.add("PRelu", 1, context -> {
            NDArray x = context.array(0);
            context.output(0, where(x.lt(0), x.mul(context.array(1)), x));
        });
        registry.add("IsNaN", 9, context -> context.output(0, context.array(0).isNaN()));
        registry.add("IsInf", 10, context -> {
            NDArray x = context.array(0);
            NDArray infinite = x.isInfinite();
            if (context.intAttribute("detect_negative", 1) == 0) {
                infinite = infinite.logicalAnd(x.gt(0));
            }
            if (context.intAttribute("detect_positive", 1) == 0) {
                infinite = infinite.logicalAnd(x.lt(0));
            }
            context.output(0, infinite);
        });
        registry.add("Mod", 10, ElementwiseKernels::mod);
        registry.add("Shrink", 9, context -> {
            NDArray x = context.array(0);
            float bias = context.floatAttribute("bias", 0f);
            float lambda = context.floatAttribute("lambd", 0.5f);
            NDArray zero = x.zerosLike();
            context.output(0, where(x.lt(-lambda), x.add(bias), where(x.gt(lambda), x.sub(bias), zero)));
        });
        registry.add("Clip", 1, ElementwiseKernels::clip);
        registry.add("Identity", 1, context -> context.output(0, context.value(0)));

        arithmetic(registry, "Add", NDArray::add, Long::sum);
        arithmetic(registry, "Sub", NDArray::sub, (a, b) -> a - b);
        arithmetic(registry, "Mul", NDArray::mul, (a, b) -> a * b);
        arithmetic(registry, "Div", ElementwiseKernels::divide, (a, b) -> a / b);
        registry.add("Pow", 1, context -> {
            NDArray base = context.array(0);
            NDArray result = base.pow(context.array(1));
            context.output(0, result.getDataType() == base.getDataType() ? result
                    : result.toType(base.getDataType(), false));
        });
        variadic(registry, "Max", NDArrays::maximum);
        variadic(registry, "Min", NDArrays::minimum);
        variadic(registry, "Sum", NDArray::add);
        registry.add("Mean", 1, context -> {
            NDArray sum = context.array(0);
            for (int i = 1; i < context.inputCount(); i++) {
                sum = sum.add(context.array(i));
            }
            context.output(0, NDArrayTensors.dividedBy(sum, context.inputCount()));
        });

        comparison(registry, "Equal", 1, NDArray::eq, (a, b) -> a == b ? 1 : 0);
        comparison(registry, "Less", 1, NDArray::lt, (a, b) -> a < b ? 1 : 0);
        comparison(registry, "LessOrEqual", 12, NDArray::lte, (a, b) -> a <= b ? 1 : 0);
        comparison(registry, "Greater", 1, NDArray::gt, (a, b) -> a > b ? 1 : 0);
        comparison(registry, "GreaterOrEqual", 12, NDArray::gte, (a, b) -> a >= b ? 1 : 0);
        comparison(registry, "And", 1, NDArray::logicalAnd, (a, b) -> a != 0 && b != 0 ? 1 : 0);
        comparison(registry, "Or", 1, NDArray::logicalOr, (a, b) -> a != 0 || b != 0 ? 1 : 0);
        comparison(registry, "Xor", 1, NDArray::logicalXor, (a, b) -> (a != 0) != (b != 0) ? 1 : 0);
        registry.add("Where", 9, context -> {
            if (context.allHost()) {
                context.output(0, HostOps.where(context.host(0), context.host(1), context.host(2)));
            } else {
                context.output(0, where(context.array(0), context.array(1), context.array(2)));
            }
        });
    }

    /** {@code where} with numpy broadcasting over all three operands (DJL's requires equal shapes). */
    static NDArray where(NDArray condition, NDArray x, NDArray y) {
        long[] shape = HostOps.broadcastShape(condition.getShape().getShape(),
                HostOps.broadcastShape(x.getShape().getShape(), y.getShape().getShape()));
        return NDArrays.where(broadcast(condition, shape), broadcast(x, shape), broadcast(y, shape));
    }

    private static NDArray broadcast(NDArray array, long[] shape) {
        return java.util.Arrays.equals(array.getShape().getShape(), shape) ? array : array.broadcast(shape);
    }

    /** {@code max(0, min(1, alpha * x + beta))}. */
    static NDArray hardSigmoid(NDArray x, float alpha, float beta) {
        return NDArrayTensors.times(x, alpha).add(beta).clip(0, 1);
    }

    private static void unary(OpRegistrations registry, String opType, int since, UnaryOperator<NDArray> op) {
        registry.add(opType, since, context -> context.output(0, op.apply(context.array(0))));
    }

    /** Broadcasting arithmetic, folded on the JVM when both operands are host integers. */
    private static void arithmetic(OpRegistrations registry, String opType, BinaryOperator<NDArray> device,
            LongBinaryOperator host) {
        registry.add(opType, 1, context -> {
            if (context.allHost()) {
                HostTensor a = context.host(0);
                context.output(0, HostOps.binary(a, context.host(1), a.type(), host));
            } else {
                context.output(0, device.apply(context.array(0), context.array(1)));
            }
        }, ElementwiseKernels::rejectLegacyBroadcast);
    }

    private static void comparison(OpRegistrations registry, String opType, int since,
            BinaryOperator<NDArray> device, LongBinaryOperator host) {
        registry.add(opType, since, context -> {
            if (context.allHost()) {
                context.output(0, HostOps.binary(context.host(0), context.host(1), DataType.BOOL, host));
            } else {
                context.output(0, device.apply(context.array(0), context.array(1)));
            }
        }, ElementwiseKernels::rejectLegacyBroadcast);
    }

    private static void variadic(OpRegistrations registry, String opType, BinaryOperator<NDArray> op) {
        registry.add(opType, 1, context -> {
            NDArray result = context.array(0);
            for (int i = 1; i < context.inputCount(); i++) {
                result = op.apply(result, context.array(i));
            }
            context.output(0, result);
        });
    }

    /** Integer division truncates toward zero as in C (ONNX Runtime); floats divide exactly. */
    private static NDArray divide(NDArray a, NDArray b) {
        if (a.getDataType().isInteger()) {
            return a.div(b).trunc().toType(a.getDataType(), false);
        }
        return a.div(b);
    }

    /**
     * {@code fmod=1}: C's fmod (the result takes the dividend's sign); {@code fmod=0}: the divisor's sign, as
     * Python's {@code %}. Integers are computed exactly in int64.
     */
    private static void mod(KernelContext context) {
        NDArray a = context.array(0);
        NDArray b = context.array(1);
        boolean fmod = context.intAttribute("fmod", 0) == 1;
        if (a.getDataType().isInteger()) {
            NDArray x = a.toType(ai.djl.ndarray.types.DataType.INT64, false);
            NDArray y = b.toType(ai.djl.ndarray.types.DataType.INT64, false);
            // PyTorch's remainder on integers already follows the divisor's sign
            NDArray floorMod = x.mod(y);
            NDArray result = floorMod;
            if (fmod) {
                NDArray signsDiffer = floorMod.neq(0).logicalAnd(x.lt(0).logicalXor(y.lt(0)));
                result = where(signsDiffer, floorMod.sub(y), floorMod);
            }
            context.output(0, result.toType(a.getDataType(), false));
            return;
        }
        NDArray truncated = a.sub(a.div(b).trunc().mul(b));
        if (fmod) {
            context.output(0, truncated);
        } else {
            NDArray signsDiffer = truncated.neq(0).logicalAnd(truncated.lt(0).logicalXor(b.lt(0)));
            context.output(0, where(signsDiffer, truncated.add(b), truncated));
        }
    }

    /** Clip bounds: attributes before opset 11, optional inputs since. */
    private static void clip(KernelContext context) {
        NDArray x = context.array(0);
        double min;
        double max;
        if (context.opset() < 11) {
            min = context.floatAttribute("min", Float.NEGATIVE_INFINITY);
            max = context.floatAttribute("max", Float.POSITIVE_INFINITY);
        } else {
            min = context.hasInput(1) ? context.scalar(1) : Double.NEGATIVE_INFINITY;
            max = context.hasInput(2) ? context.scalar(2) : Double.POSITIVE_INFINITY;
        }
        NDArray result = x;
        if (min != Double.NEGATIVE_INFINITY) {
            result = NDArrays.maximum(result, bound(context, x, min));
        }
        if (max != Double.POSITIVE_INFINITY) {
            result = NDArrays.minimum(result, bound(context, x, max));
        }
        context.output(0, result == x ? x.duplicate() : result);
    }

    private static NDArray bound(KernelContext context, NDArray like, double value) {
        return context.manager().full(new ai.djl.ndarray.types.Shape(), (float) value)
                .toType(like.getDataType(), false);
    }

    /** Opsets before 7 broadcast only with an explicit {@code broadcast}/{@code axis} attribute pair. */
    private static java.util.Optional<String> rejectLegacyBroadcast(ai.onnx.proto.OnnxMl.NodeProto node,
            long opset) {
        if (opset < 7 && dev.verdant.onnx.Attributes.has(node, "axis")) {
            return java.util.Optional.of("legacy broadcast with an axis attribute (opset < 7)");
        }
        return java.util.Optional.empty();
    }
}
