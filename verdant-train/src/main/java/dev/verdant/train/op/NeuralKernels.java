package dev.verdant.train.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.verdant.onnx.Attributes;
import java.util.Arrays;
import java.util.Optional;

/** Neural-network kernels: MatMul, Gemm, Conv, pooling, normalization and Dropout. */
final class NeuralKernels {

    private NeuralKernels() {
    }

    static void register(OpRegistrations registry) {
        registry.add("MatMul", 1, context -> context.output(0, context.array(0).matMul(context.array(1))));
        registry.add("Gemm", 7, NeuralKernels::gemm);
        registry.add("Conv", 1, NeuralKernels::conv, NeuralKernels::checkAutoPad);
        NodeValidator autoPad = NeuralKernels::checkAutoPad;
        registry.add("MaxPool", 1, NeuralKernels::maxPool, autoPad.and(NeuralKernels::checkMaxPool));
        registry.add("AveragePool", 1, NeuralKernels::averagePool, autoPad.and(NeuralKernels::checkNoDilation));
        registry.add("GlobalAveragePool", 1, context -> {
            NDArray x = context.array(0);
            int[] spatial = spatialAxes(x);
            context.output(0, NDArrayTensors.dividedBy(x.sum(spatial, true),
                    Axes.product(x.getShape().getShape(), 2, x.getShape().dimension())));
        });
        registry.add("GlobalMaxPool", 1, context -> {
            NDArray result = context.array(0);
            for (int axis : spatialAxes(result)) {
                result = result.max(new int[] {axis}, true);
            }
            context.output(0, result);
        });
        registry.add("BatchNormalization", 1, NeuralKernels::batchNorm, NeuralKernels::checkBatchNorm);
        registry.add("LayerNormalization", 17, NeuralKernels::layerNorm);
        registry.add("ConvTranspose", 1, NeuralKernels::convTranspose, NeuralKernels::checkAutoPad);
        registry.add("InstanceNormalization", 6, context -> {
            NDArray x = context.array(0);
            int[] spatial = spatialAxes(x);
            long count = Axes.product(x.getShape().getShape(), 2, x.getShape().dimension());
            long[] broadcast = new long[x.getShape().dimension()];
            Arrays.fill(broadcast, 1);
            broadcast[1] = x.getShape().get(1);
            NDArray centered = x.sub(NDArrayTensors.dividedBy(x.sum(spatial, true), count));
            NDArray std = NDArrayTensors.dividedBy(centered.mul(centered).sum(spatial, true), count)
                    .add(context.floatAttribute("epsilon", 1e-5f)).sqrt();
            context.output(0, centered.div(std).mul(context.array(1).reshape(broadcast))
                    .add(context.array(2).reshape(broadcast)));
        });
        registry.add("Dropout", 1, NeuralKernels::dropout, NeuralKernels::checkDropout);
    }

    private static int[] spatialAxes(NDArray x) {
        int[] axes = new int[x.getShape().dimension() - 2];
        Arrays.setAll(axes, i -> i + 2);
        return axes;
    }

    /** {@code alpha * A' B' + beta * C}; the common {@code x W^T + b} form runs as one fused linear. */
    private static void gemm(KernelContext context) {
        NDArray a = context.array(0);
        NDArray b = context.array(1);
        boolean transA = context.intAttribute("transA", 0) == 1;
        boolean transB = context.intAttribute("transB", 0) == 1;
        float alpha = context.floatAttribute("alpha", 1f);
        float beta = context.floatAttribute("beta", 1f);
        NDArray c = context.hasInput(2) ? context.array(2) : null;
        if (!transA && transB && alpha == 1f && beta == 1f && (c == null || c.getShape().dimension() == 1)) {
            context.output(0, a.getNDArrayInternal().linear(a, b, c).singletonOrThrow());
            return;
        }
        NDArray y = (transA ? a.transpose() : a).matMul(transB ? b.transpose() : b);
        if (alpha != 1f) {
            y = NDArrayTensors.times(y, alpha);
        }
        if (c != null && beta != 0f) {
            y = y.add(beta == 1f ? c : NDArrayTensors.times(c, beta));
        }
        context.output(0, y);
    }

    /** Begin and end padding of each spatial axis: {@code [b1, b2, ..., e1, e2, ...]} as ONNX writes them. */
    private static long[] pads(KernelContext context, long[] input, long[] kernel, long[] strides, long[] dilations) {
        int spatial = kernel.length;
        String autoPad = context.stringAttribute("auto_pad", "NOTSET");
        long[] pads = new long[2 * spatial];
        switch (autoPad) {
            case "NOTSET" -> {
                long[] given = context.intsAttribute("pads", null);
                if (given != null) {
                    pads = given.clone();
                }
            }
            case "VALID" -> {
                // no padding
            }
            case "SAME_UPPER", "SAME_LOWER" -> {
                for (int i = 0; i < spatial; i++) {
                    long in = input[i + 2];
                    long out = Math.ceilDiv(in, strides[i]);
                    long extent = (kernel[i] - 1) * dilations[i] + 1;
                    long total = Math.max(0, (out - 1) * strides[i] + extent - in);
                    long small = total / 2;
                    pads[i] = autoPad.equals("SAME_UPPER") ? small : total - small;
                    pads[i + spatial] = total - pads[i];
                }
            }
            default -> throw new IllegalArgumentException(context.describe() + " has unknown auto_pad " + autoPad);
        }
        return pads;
    }

    private static long[] ones(int n) {
        long[] values = new long[n];
        Arrays.fill(values, 1);
        return values;
    }

    private static boolean symmetric(long[] pads) {
        int spatial = pads.length / 2;
        for (int i = 0; i < spatial; i++) {
            if (pads[i] != pads[i + spatial]) {
                return false;
            }
        }
        return true;
    }

    /** Pads the spatial axes explicitly (PyTorch takes the last axis first). */
    private static NDArray padExplicitly(NDArray x, long[] pads, double value) {
        int spatial = pads.length / 2;
        long[] torchOrder = new long[2 * spatial];
        for (int i = 0; i < spatial; i++) {
            int axis = spatial - 1 - i;
            torchOrder[2 * i] = pads[axis];
            torchOrder[2 * i + 1] = pads[axis + spatial];
        }
        return x.pad(new Shape(torchOrder), value);
    }

    /**
     * What Conv and ConvTranspose read alike: the input, the weight, the optional bias, and the kernel's spatial dims
     * with their strides and dilations (1 where not given).
     */
    private record ConvolutionInputs(NDArray x, NDArray w, NDArray bias, long[] kernel, long[] strides,
            long[] dilations) {

        static ConvolutionInputs of(KernelContext context) {
            NDArray w = context.array(1);
            long[] weightShape = w.getShape().getShape();
            long[] kernel = Arrays.copyOfRange(weightShape, 2, weightShape.length);
            return new ConvolutionInputs(context.array(0), w, context.hasInput(2) ? context.array(2) : null, kernel,
                    context.intsAttribute("strides", ones(kernel.length)),
                    context.intsAttribute("dilations", ones(kernel.length)));
        }
    }

    private static void conv(KernelContext context) {
        ConvolutionInputs in = ConvolutionInputs.of(context);
        NDArray x = in.x();
        long[] kernel = in.kernel();
        long[] strides = in.strides();
        long[] dilations = in.dilations();
        long[] pads = pads(context, x.getShape().getShape(), kernel, strides, dilations);
        long[] padding = Arrays.copyOfRange(pads, 0, kernel.length);
        if (!symmetric(pads)) {
            x = padExplicitly(x, pads, 0);
            padding = new long[kernel.length];
        }
        int groups = (int) context.intAttribute("group", 1);
        context.output(0, x.getNDArrayInternal().convolution(x, in.w(), in.bias(), new Shape(strides),
                new Shape(padding), new Shape(dilations), groups).singletonOrThrow());
    }

    /**
     * Runs the transposed convolution unpadded, then crops the ONNX pads (begin and end may differ), which also
     * covers {@code output_shape} and SAME padding.
     */
    private static void convTranspose(KernelContext context) {
        ConvolutionInputs in = ConvolutionInputs.of(context);
        NDArray x = in.x();
        long[] kernel = in.kernel();
        int spatial = kernel.length;
        long[] strides = in.strides();
        long[] dilations = in.dilations();
        long[] outputPadding = context.intsAttribute("output_padding", new long[spatial]).clone();
        long[] outputShape = context.intsAttribute("output_shape", null);
        String autoPad = context.stringAttribute("auto_pad", "NOTSET");
        long[] input = x.getShape().getShape();
        long[] pads = context.intsAttribute("pads", new long[2 * spatial]).clone();
        if (outputShape != null || autoPad.startsWith("SAME")) {
            for (int i = 0; i < spatial; i++) {
                long full = strides[i] * (input[i + 2] - 1) + outputPadding[i] + (kernel[i] - 1) * dilations[i] + 1;
                long target = outputShape != null ? outputShape[outputShape.length - spatial + i]
                        : input[i + 2] * strides[i];
                long total = full - target;
                if (total < 0) {
                    // a larger output_shape than the input reaches: the extra cells hold only the bias
                    outputPadding[i] -= total;
                    total = 0;
                }
                // as ONNX Runtime and the node tests: SAME_UPPER puts the odd cell at the end
                pads[i] = autoPad.equals("SAME_LOWER") ? total - total / 2 : total / 2;
                pads[i + spatial] = total - pads[i];
            }
        } else if (autoPad.equals("VALID")) {
            Arrays.fill(pads, 0);
        }
        int groups = (int) context.intAttribute("group", 1);
        NDArray full = transposedConvolution(x, in.w(), in.bias(), strides, dilations, outputPadding, groups);
        if (Arrays.stream(pads).allMatch(p -> p == 0)) {
            context.output(0, full);
            return;
        }
        ai.djl.ndarray.index.NDIndex crop = new ai.djl.ndarray.index.NDIndex().addAllDim().addAllDim();
        for (int i = 0; i < spatial; i++) {
            crop.addSliceDim(pads[i], full.getShape().get(i + 2) - pads[i + spatial]);
        }
        context.output(0, full.get(crop));
    }

    /**
     * A transposed convolution as an ordinary one (DJL's PyTorch engine does not implement deconvolution): spread
     * the input with {@code stride - 1} zeros between elements, pad {@code (k - 1) * dilation} on each side (plus
     * {@code output_padding} at the end), and convolve with the kernel flipped and its channel axes swapped.
     */
    private static NDArray transposedConvolution(NDArray x, NDArray w, NDArray bias, long[] strides,
            long[] dilations, long[] outputPadding, int groups) {
        long[] in = x.getShape().getShape();
        long[] weightShape = w.getShape().getShape();
        int spatial = weightShape.length - 2;
        NDArray spread = x;
        if (Arrays.stream(strides).anyMatch(s -> s > 1)) {
            // (N, C, d1, 1, d2, 1, ...) padded to (N, C, d1, s1, d2, s2, ...), folded, then the trailing zeros cut
            long[] interleaved = new long[2 + 2 * spatial];
            long[] torchPads = new long[2 * interleaved.length];
            long[] folded = new long[2 + spatial];
            interleaved[0] = in[0];
            interleaved[1] = in[1];
            folded[0] = in[0];
            folded[1] = in[1];
            ai.djl.ndarray.index.NDIndex crop = new ai.djl.ndarray.index.NDIndex().addAllDim().addAllDim();
            for (int i = 0; i < spatial; i++) {
                interleaved[2 + 2 * i] = in[2 + i];
                interleaved[3 + 2 * i] = 1;
                // PyTorch lists pads from the last axis: axis a's (before, after) sit at 2 * (rank - 1 - a)
                torchPads[2 * (interleaved.length - 1 - (3 + 2 * i)) + 1] = strides[i] - 1;
                folded[2 + i] = in[2 + i] * strides[i];
                crop.addSliceDim(0, (in[2 + i] - 1) * strides[i] + 1);
            }
            spread = x.reshape(interleaved).pad(new Shape(torchPads), 0).reshape(folded).get(crop);
        }
        long[] pads = new long[2 * spatial];
        for (int i = 0; i < spatial; i++) {
            pads[i] = (weightShape[2 + i] - 1) * dilations[i];
            pads[i + spatial] = pads[i] + outputPadding[i];
        }
        NDArray padded = padExplicitly(spread, pads, 0);
        // (C, M/g, k...) → (g, C/g, M/g, k...) → (g, M/g, C/g, k...) → (M, C/g, k...), kernel flipped
        long channelsPerGroup = weightShape[0] / groups;
        long[] grouped = new long[weightShape.length + 1];
        grouped[0] = groups;
        grouped[1] = channelsPerGroup;
        System.arraycopy(weightShape, 1, grouped, 2, weightShape.length - 1);
        int[] swap = new int[grouped.length];
        Arrays.setAll(swap, i -> i);
        swap[1] = 2;
        swap[2] = 1;
        long[] convWeightShape = weightShape.clone();
        convWeightShape[0] = groups * weightShape[1];
        convWeightShape[1] = channelsPerGroup;
        int[] kernelAxes = new int[spatial];
        Arrays.setAll(kernelAxes, i -> i + 2);
        NDArray kernel = w.reshape(grouped).transpose(swap).reshape(convWeightShape).flip(kernelAxes);
        return padded.getNDArrayInternal().convolution(padded, kernel, bias, new Shape(ones(spatial)),
                new Shape(new long[spatial]), new Shape(dilations), groups).singletonOrThrow();
    }

    private static void maxPool(KernelContext context) {
        NDArray x = context.array(0);
        long[] kernel = context.intsAttribute("kernel_shape", null);
        long[] strides = context.intsAttribute("strides", ones(kernel.length));
        boolean ceilMode = context.intAttribute("ceil_mode", 0) == 1;
        long[] pads = pads(context, x.getShape().getShape(), kernel, strides, ones(kernel.length));
        long[] padding = Arrays.copyOfRange(pads, 0, kernel.length);
        if (!symmetric(pads) || !withinHalfKernel(padding, kernel)) {
            x = padExplicitly(x, pads, Double.NEGATIVE_INFINITY);
            padding = new long[kernel.length];
        }
        context.output(0, x.getNDArrayInternal().maxPool(new Shape(kernel), new Shape(strides), new Shape(padding),
                ceilMode));
    }

    private static void averagePool(KernelContext context) {
        NDArray x = context.array(0);
        long[] kernel = context.intsAttribute("kernel_shape", null);
        long[] strides = context.intsAttribute("strides", ones(kernel.length));
        boolean ceilMode = context.intAttribute("ceil_mode", 0) == 1;
        boolean countPad = context.intAttribute("count_include_pad", 0) == 1;
        long[] pads = pads(context, x.getShape().getShape(), kernel, strides, ones(kernel.length));
        long[] padding = Arrays.copyOfRange(pads, 0, kernel.length);
        Shape kernelShape = new Shape(kernel);
        Shape strideShape = new Shape(strides);
        boolean unpadded = Arrays.stream(pads).allMatch(p -> p == 0);
        // DJL's PyTorch avgPool always counts padded cells, so it only serves when that is what ONNX asks for
        if (unpadded || countPad && symmetric(pads) && withinHalfKernel(padding, kernel)) {
            context.output(0, x.getNDArrayInternal().avgPool(kernelShape, strideShape, new Shape(padding), ceilMode,
                    countPad));
            return;
        }
        // PyTorch pads symmetrically only: pad with zeros, average, and without count_include_pad divide by
        // the share of real (unpadded) cells in each window
        Shape none = new Shape(new long[kernel.length]);
        NDArray padded = padExplicitly(x, pads, 0);
        NDArray mean = padded.getNDArrayInternal().avgPool(kernelShape, strideShape, none, ceilMode, true);
        if (!countPad) {
            long[] maskShape = x.getShape().getShape().clone();
            maskShape[0] = 1;
            maskShape[1] = 1;
            NDArray mask = padExplicitly(context.manager().ones(new Shape(maskShape), x.getDataType()), pads, 0);
            mean = mean.div(mask.getNDArrayInternal().avgPool(kernelShape, strideShape, none, ceilMode, true));
        }
        context.output(0, mean);
    }

    private static boolean withinHalfKernel(long[] padding, long[] kernel) {
        for (int i = 0; i < kernel.length; i++) {
            if (padding[i] * 2 > kernel[i]) {
                return false;
            }
        }
        return true;
    }

    private static Optional<String> checkAutoPad(NodeProto node, long opset) {
        String autoPad = Attributes.getString(node, "auto_pad", "NOTSET");
        return switch (autoPad) {
            case "NOTSET", "VALID", "SAME_UPPER", "SAME_LOWER" -> Optional.empty();
            default -> Optional.of("auto_pad=" + autoPad);
        };
    }

    private static Optional<String> checkNoDilation(NodeProto node, long opset) {
        long[] dilations = Attributes.getInts(node, "dilations", null);
        if (dilations != null && Arrays.stream(dilations).anyMatch(d -> d != 1)) {
            return Optional.of("pooling dilations other than 1");
        }
        return Optional.empty();
    }

    private static Optional<String> checkMaxPool(NodeProto node, long opset) {
        if (node.getOutputCount() > 1 && !node.getOutput(1).isEmpty()) {
            return Optional.of("the Indices output");
        }
        if (Attributes.getInt(node, "storage_order", 0) != 0) {
            return Optional.of("storage_order=1");
        }
        return checkNoDilation(node, opset);
    }

    /**
     * Inference uses the running statistics; training (the graph's training flag, or {@code training_mode=1})
     * normalizes with the batch's statistics. Under the graph's training flag the kernel is PyTorch's fused
     * batch norm, which updates the running statistics inputs in place as PyTorch trains
     * ({@code running = running * momentum + batch * (1 - momentum)}, the variance unbiased); with
     * {@code training_mode=1} they are returned as outputs 1 and 2 instead (population variance), as the spec says.
     */
    private static void batchNorm(KernelContext context) {
        NDArray x = context.array(0);
        NDArray scale = context.array(1);
        NDArray bias = context.array(2);
        NDArray runningMean = context.array(3);
        NDArray runningVar = context.array(4);
        float epsilon = context.floatAttribute("epsilon", 1e-5f);
        float momentum = context.floatAttribute("momentum", 0.9f);
        boolean nodeTraining = context.opset() >= 14 && context.intAttribute("training_mode", 0) == 1;
        if (!nodeTraining) {
            context.output(0, x.getNDArrayInternal().batchNorm(x, runningMean, runningVar, scale, bias, 1, momentum,
                    epsilon, context.training()).singletonOrThrow());
            return;
        }
        long[] broadcast = new long[x.getShape().dimension()];
        Arrays.fill(broadcast, 1);
        broadcast[1] = x.getShape().get(1);
        int[] axes = new int[x.getShape().dimension() - 1];
        axes[0] = 0;
        for (int i = 1; i < axes.length; i++) {
            axes[i] = i + 1;
        }
        long count = x.getShape().size() / x.getShape().get(1);
        NDArray mean = NDArrayTensors.dividedBy(x.sum(axes, true), count);
        NDArray centered = x.sub(mean);
        NDArray variance = NDArrayTensors.dividedBy(centered.mul(centered).sum(axes, true), count);
        NDArray y = centered.div(variance.add(epsilon).sqrt()).mul(scale.reshape(broadcast))
                .add(bias.reshape(broadcast));
        context.output(0, y);
        if (context.wantsOutput(1)) {
            NDArray batchMean = mean.reshape(broadcast[1]).stopGradient();
            context.output(1, NDArrayTensors.times(runningMean, momentum)
                    .add(NDArrayTensors.times(batchMean, 1 - momentum)));
        }
        if (context.wantsOutput(2)) {
            NDArray batchVar = variance.reshape(broadcast[1]).stopGradient();
            context.output(2, NDArrayTensors.times(runningVar, momentum)
                    .add(NDArrayTensors.times(batchVar, 1 - momentum)));
        }
    }

    private static Optional<String> checkBatchNorm(NodeProto node, long opset) {
        if (opset < 9 && Attributes.getInt(node, "spatial", 1) != 1) {
            return Optional.of("spatial=0");
        }
        if (opset < 14 && node.getOutputList().stream().skip(1).anyMatch(o -> !o.isEmpty())) {
            return Optional.of("training outputs before opset 14");
        }
        return Optional.empty();
    }

    /** Normalizes over the axes from {@code axis} to the last; outputs Mean and InvStdDev on request. */
    private static void layerNorm(KernelContext context) {
        NDArray x = context.array(0);
        int rank = x.getShape().dimension();
        int axis = Axes.normalize(context.intAttribute("axis", -1), rank);
        float epsilon = context.floatAttribute("epsilon", 1e-5f);
        int[] axes = new int[rank - axis];
        Arrays.setAll(axes, i -> axis + i);
        long count = Axes.product(x.getShape().getShape(), axis, rank);
        NDArray mean = NDArrayTensors.dividedBy(x.sum(axes, true), count);
        NDArray centered = x.sub(mean);
        NDArray std = NDArrayTensors.dividedBy(centered.mul(centered).sum(axes, true), count).add(epsilon).sqrt();
        NDArray inverseStd = std.onesLike().div(std);
        NDArray y = centered.mul(inverseStd).mul(context.array(1));
        if (context.hasInput(2)) {
            y = y.add(context.array(2));
        }
        context.output(0, y);
        if (context.wantsOutput(1)) {
            context.output(1, mean);
        }
        if (context.wantsOutput(2)) {
            context.output(2, inverseStd);
        }
    }

    /**
     * Identity in inference; in training (the graph's flag) zeroes each element with probability {@code ratio}
     * and scales the rest by {@code 1 / (1 - ratio)}.
     */
    private static void dropout(KernelContext context) {
        NDArray x = context.array(0);
        boolean legacyTest = context.opset() < 7 && context.intAttribute("is_test", 0) == 1;
        double ratio = context.opset() < 12 ? context.floatAttribute("ratio", 0.5f)
                : context.hasInput(1) ? context.scalar(1) : 0.5;
        if (!context.training() || legacyTest || ratio == 0) {
            context.output(0, x);
            if (context.wantsOutput(1)) {
                context.output(1, context.manager().ones(x.getShape()).toType(ai.djl.ndarray.types.DataType.BOOLEAN, false));
            }
            return;
        }
        NDArray keep = context.manager().randomUniform(0f, 1f, x.getShape()).gte(ratio);
        context.output(0, NDArrayTensors.dividedBy(x.mul(keep.toType(x.getDataType(), false)), 1 - ratio));
        if (context.wantsOutput(1)) {
            context.output(1, keep);
        }
    }

    private static Optional<String> checkDropout(NodeProto node, long opset) {
        if (opset >= 12 && node.getInputCount() > 2 && !node.getInput(2).isEmpty()) {
            return Optional.of("a training_mode input (random masks cannot reproduce ONNX's reference RNG; "
                    + "run the graph with training=true instead)");
        }
        return Optional.empty();
    }
}
