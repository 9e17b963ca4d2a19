package dev.verdant.train.op;

import ai.djl.ndarray.NDArray;
import java.util.function.BiFunction;

/** Reductions (ReduceMean, ReduceSum, ...), ArgMax/ArgMin and Softmax/LogSoftmax. */
final class ReductionKernels {

    private ReductionKernels() {
    }

    /** How a reduction combines the values along the reduced axes (keeping the reduced dims as size 1). */
    private interface Reducer {
        NDArray reduce(NDArray x, int[] axes);
    }

    static void register(OpRegistrations registry) {
        reduction(registry, "ReduceSum", 13, ReductionKernels::sum);
        reduction(registry, "ReduceMean", 18, (x, axes) -> NDArrayTensors.dividedBy(sum(x, axes), count(x, axes)));
        reduction(registry, "ReduceMax", 18, (x, axes) -> eachAxis(x, axes, (a, axis) -> a.max(new int[] {axis}, true)));
        reduction(registry, "ReduceMin", 18, (x, axes) -> eachAxis(x, axes, (a, axis) -> a.min(new int[] {axis}, true)));
        reduction(registry, "ReduceProd", 18, (x, axes) -> eachAxis(x, axes, (a, axis) -> a.prod(new int[] {axis}, true)));
        reduction(registry, "ReduceSumSquare", 18, (x, axes) -> sum(x.mul(x), axes));
        reduction(registry, "ReduceL1", 18, (x, axes) -> sum(x.abs(), axes));
        reduction(registry, "ReduceL2", 18, (x, axes) -> sum(x.mul(x), axes).sqrt());
        reduction(registry, "ReduceLogSum", 18, (x, axes) -> sum(x, axes).log());
        reduction(registry, "ReduceLogSumExp", 18, (x, axes) -> {
            // shift by the max so large inputs do not overflow exp
            NDArray max = eachAxis(x, axes, (a, axis) -> a.max(new int[] {axis}, true)).stopGradient();
            return sum(x.sub(max).exp(), axes).log().add(max);
        });
        registry.add("ArgMax", 1, context -> argExtreme(context, true));
        registry.add("ArgMin", 1, context -> argExtreme(context, false));
        registry.add("TopK", 1, ReductionKernels::topK);
        registry.add("CumSum", 11, context -> {
            NDArray x = context.array(0);
            int axis = Axes.normalize(context.longs(1)[0], x.getShape().dimension());
            boolean reverse = context.intAttribute("reverse", 0) == 1;
            NDArray input = reverse ? x.flip(axis) : x;
            NDArray sum = input.cumSum(axis);
            if (context.intAttribute("exclusive", 0) == 1) {
                sum = sum.sub(input);
            }
            context.output(0, reverse ? sum.flip(axis) : sum);
        });
        registry.add("Hardmax", 1, ReductionKernels::hardmax);
        registry.add("Softmax", 1, context -> softmax(context, false));
        registry.add("LogSoftmax", 1, context -> softmax(context, true));
    }

    /** Axes come from an attribute before {@code axesInputSince}, from input 1 from then on. */
    private static void reduction(OpRegistrations registry, String opType, int axesInputSince, Reducer reducer) {
        registry.add(opType, 1, context -> {
            NDArray x = context.array(0);
            int rank = x.getShape().dimension();
            long[] axes = context.opset() >= axesInputSince
                    ? (context.hasInput(1) ? context.longs(1) : null)
                    : context.intsAttribute("axes", null);
            boolean keepDims = context.intAttribute("keepdims", 1) == 1;
            if (axes == null || axes.length == 0) {
                if (context.intAttribute("noop_with_empty_axes", 0) == 1) {
                    context.output(0, x.duplicate());
                    return;
                }
                axes = new long[rank];
                java.util.Arrays.setAll(axes, i -> i);
            }
            int[] normalized = Axes.normalize(axes, rank);
            NDArray result = reducer.reduce(x, normalized);
            if (!keepDims) {
                result = result.squeeze(normalized);
            }
            context.output(0, result);
        });
    }

    private static NDArray sum(NDArray x, int[] axes) {
        return axes.length == 0 ? x : x.sum(axes, true);
    }

    private static long count(NDArray x, int[] axes) {
        long count = 1;
        for (int axis : axes) {
            count *= x.getShape().get(axis);
        }
        return count;
    }

    /** Applies a single-axis reduction axis by axis (PyTorch's max/min/prod take one axis). */
    private static NDArray eachAxis(NDArray x, int[] axes, BiFunction<NDArray, Integer, NDArray> reduce) {
        NDArray result = x;
        for (int axis : axes) {
            result = reduce.apply(result, axis);
        }
        return result;
    }

    /** With {@code select_last_index} the search runs on the flipped axis, so ties resolve to the last index. */
    private static void argExtreme(KernelContext context, boolean max) {
        NDArray x = context.array(0);
        int axis = Axes.normalize(context.intAttribute("axis", 0), x.getShape().dimension());
        boolean last = context.intAttribute("select_last_index", 0) == 1;
        NDArray searched = last ? x.flip(axis) : x;
        NDArray index = (max ? searched.argMax(axis) : searched.argMin(axis))
                .toType(ai.djl.ndarray.types.DataType.INT64, false);
        if (last) {
            index = index.neg().add(x.getShape().get(axis) - 1);
        }
        if (context.intAttribute("keepdims", 1) == 1) {
            index = index.expandDims(axis);
        }
        context.output(0, index);
    }

    /** K from the attribute before opset 10, from input 1 since; {@code largest} and {@code sorted} from 11. */
    private static void topK(KernelContext context) {
        NDArray x = context.array(0);
        int axis = Axes.normalize(context.intAttribute("axis", -1), x.getShape().dimension());
        int k = (int) (context.opset() < 10 ? context.intAttribute("k", 1) : context.longs(1)[0]);
        boolean largest = context.intAttribute("largest", 1) == 1;
        ai.djl.ndarray.NDList result = x.topK(k, axis, largest, true);
        context.output(0, result.get(0));
        context.output(1, result.get(1).toType(ai.djl.ndarray.types.DataType.INT64, false));
    }

    /** 1 at the first maximum along the axis, 0 elsewhere; the axis follows Softmax's rules per opset. */
    private static void hardmax(KernelContext context) {
        NDArray x = context.array(0);
        long[] shape = x.getShape().getShape();
        NDArray view = x;
        int axis;
        if (context.opset() < 13) {
            int coerced = Axes.normalize(context.intAttribute("axis", 1), shape.length);
            view = x.reshape(Axes.product(shape, 0, coerced), Axes.product(shape, coerced, shape.length));
            axis = 1;
        } else {
            axis = Axes.normalize(context.intAttribute("axis", -1), shape.length);
        }
        long[] classShape = new long[view.getShape().dimension()];
        java.util.Arrays.fill(classShape, 1);
        classShape[axis] = view.getShape().get(axis);
        NDArray classes = context.manager().arange(0, (int) classShape[axis], 1,
                ai.djl.ndarray.types.DataType.INT64).reshape(classShape);
        NDArray first = view.argMax(axis).toType(ai.djl.ndarray.types.DataType.INT64, false).expandDims(axis);
        context.output(0, first.eq(classes).toType(x.getDataType(), false).reshape(shape));
    }

    /** Before opset 13 the input is coerced to 2-D at {@code axis} (default 1); from 13 one axis (default -1). */
    private static void softmax(KernelContext context, boolean log) {
        NDArray x = context.array(0);
        long[] shape = x.getShape().getShape();
        if (context.opset() < 13) {
            int axis = Axes.normalize(context.intAttribute("axis", 1), shape.length);
            NDArray flat = x.reshape(Axes.product(shape, 0, axis), Axes.product(shape, axis, shape.length));
            context.output(0, (log ? flat.logSoftmax(1) : flat.softmax(1)).reshape(shape));
        } else {
            int axis = Axes.normalize(context.intAttribute("axis", -1), shape.length);
            context.output(0, log ? x.logSoftmax(axis) : x.softmax(axis));
        }
    }
}
