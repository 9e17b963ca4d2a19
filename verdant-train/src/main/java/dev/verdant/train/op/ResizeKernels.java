package dev.verdant.train.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.verdant.onnx.Attributes;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * Resize (opset 11 on) as separable interpolation: for each resized axis the JVM computes, per output position,
 * the source indices and weights of its taps (1 for nearest, 2 for linear, 4 for cubic) under the node's
 * coordinate transformation, and PyTorch takes the weighted sum of the gathered slices. Exact for every
 * coordinate mode but {@code tf_crop_and_resize}, and differentiable in the input.
 */
final class ResizeKernels {

    private ResizeKernels() {
    }

    /** The taps of one axis: {@code indices[out][tap]} into the input and their {@code weights[out][tap]}. */
    private record Taps(long[][] indices, float[][] weights) {
    }

    static void register(OpRegistrations registry) {
        registry.add("Resize", 11, ResizeKernels::resize, ResizeKernels::check);
    }

    private static Optional<String> check(NodeProto node, long opset) {
        String coordinates = Attributes.getString(node, "coordinate_transformation_mode", "half_pixel");
        if (coordinates.equals("tf_crop_and_resize")) {
            return Optional.of("coordinate_transformation_mode=tf_crop_and_resize");
        }
        if (Attributes.getInt(node, "antialias", 0) != 0) {
            return Optional.of("antialias=1");
        }
        if (Attributes.has(node, "axes")) {
            return Optional.of("the axes attribute");
        }
        if (!Attributes.getString(node, "keep_aspect_ratio_policy", "stretch").equals("stretch")) {
            return Optional.of("keep_aspect_ratio_policy other than stretch");
        }
        return Optional.empty();
    }

    private static void resize(KernelContext context) {
        NDArray x = context.array(0);
        long[] in = x.getShape().getShape();
        int rank = in.length;
        double[] scales = new double[rank];
        long[] out = new long[rank];
        if (context.hasInput(2) && context.value(2).shape()[0] > 0) {
            float[] values = context.array(2).toFloatArray();
            for (int a = 0; a < rank; a++) {
                scales[a] = values[a];
                out[a] = (long) Math.floor(in[a] * (double) values[a]);
            }
        } else {
            long[] sizes = context.longs(3);
            for (int a = 0; a < rank; a++) {
                out[a] = sizes[a];
                scales[a] = (double) sizes[a] / in[a];
            }
        }
        NDArray result = x;
        for (int axis = 0; axis < rank; axis++) {
            if (out[axis] == in[axis] && scales[axis] == 1.0) {
                continue;
            }
            Taps taps = taps(context, in[axis], out[axis], scales[axis]);
            result = interpolate(context, result, axis, taps);
        }
        context.output(0, result == x ? x.duplicate() : result);
    }

    /** {@code sum_t x[indices[:, t]] * weights[:, t]} along {@code axis}. */
    private static NDArray interpolate(KernelContext context, NDArray x, int axis, Taps taps) {
        int outLength = taps.indices().length;
        int tapCount = taps.indices()[0].length;
        long[] weightShape = new long[x.getShape().dimension()];
        Arrays.fill(weightShape, 1);
        weightShape[axis] = outLength;
        NDArray sum = null;
        for (int t = 0; t < tapCount; t++) {
            long[] index = new long[outLength];
            float[] weight = new float[outLength];
            for (int i = 0; i < outLength; i++) {
                index[i] = taps.indices()[i][t];
                weight[i] = taps.weights()[i][t];
            }
            // autograd keeps both the indices and the weights for the backward pass, after the batch scope closed
            NDArray gathered = x.get(new NDIndex(":,".repeat(axis) + "{}", NDArrayTensors.pytorchOwned(
                    context.manager(), LongBuffer.wrap(index), new Shape(outLength), DataType.INT64)));
            NDArray term = tapCount == 1 ? gathered : gathered.mul(NDArrayTensors.pytorchOwned(context.manager(),
                    FloatBuffer.wrap(weight), new Shape(weightShape), DataType.FLOAT32).toType(x.getDataType(), false));
            sum = sum == null ? term : sum.add(term);
        }
        return sum;
    }

    /** The source coordinate of each output position, then its taps under the node's mode. */
    private static Taps taps(KernelContext context, long inLength, long outLength, double scale) {
        String mode = context.stringAttribute("mode", "nearest");
        String coordinates = context.stringAttribute("coordinate_transformation_mode", "half_pixel");
        int length = Math.toIntExact(outLength);
        long[][] indices = new long[length][];
        float[][] weights = new float[length][];
        for (int i = 0; i < length; i++) {
            double source = sourceCoordinate(coordinates, i, inLength, outLength, scale);
            switch (mode) {
                case "nearest" -> {
                    indices[i] = new long[] {clamp(nearest(context.stringAttribute("nearest_mode",
                            "round_prefer_floor"), source), inLength)};
                    weights[i] = new float[] {1f};
                }
                case "linear" -> {
                    long base = (long) Math.floor(source);
                    double ratio = source - base;
                    indices[i] = new long[] {clamp(base, inLength), clamp(base + 1, inLength)};
                    weights[i] = new float[] {(float) (1 - ratio), (float) ratio};
                }
                case "cubic" -> {
                    long base = (long) Math.floor(source);
                    double ratio = source - base;
                    double a = context.floatAttribute("cubic_coeff_a", -0.75f);
                    double[] coefficients = cubic(a, ratio);
                    boolean excludeOutside = context.intAttribute("exclude_outside", 0) == 1;
                    indices[i] = new long[4];
                    weights[i] = new float[4];
                    double total = 0;
                    for (int t = 0; t < 4; t++) {
                        long index = base - 1 + t;
                        if (excludeOutside && (index < 0 || index >= inLength)) {
                            coefficients[t] = 0;
                        }
                        total += coefficients[t];
                        indices[i][t] = clamp(index, inLength);
                    }
                    for (int t = 0; t < 4; t++) {
                        weights[i][t] = (float) (excludeOutside ? coefficients[t] / total : coefficients[t]);
                    }
                }
                default -> throw new IllegalArgumentException(context.describe() + " has unknown mode " + mode);
            }
        }
        return new Taps(indices, weights);
    }

    /**
     * Where output position {@code x} samples the input, per {@code coordinate_transformation_mode}. The resized
     * length in the formulas is {@code inLength * scale}, unrounded, as the reference implementation has it.
     */
    private static double sourceCoordinate(String mode, long x, long inLength, long outLength, double scale) {
        double resized = inLength * scale;
        return switch (mode) {
            case "half_pixel" -> (x + 0.5) / scale - 0.5;
            case "half_pixel_symmetric" -> {
                double adjustment = outLength / (scale * inLength);
                double center = inLength / 2.0;
                yield center * (1 - adjustment) + (x + 0.5) / scale - 0.5;
            }
            case "pytorch_half_pixel" -> resized > 1 ? (x + 0.5) / scale - 0.5 : 0;
            case "align_corners" -> resized == 1 ? 0 : x * (double) (inLength - 1) / (resized - 1);
            case "asymmetric" -> x / scale;
            case "tf_half_pixel_for_nn" -> (x + 0.5) / scale;
            default -> throw new IllegalArgumentException("coordinate_transformation_mode " + mode);
        };
    }

    private static long nearest(String mode, double x) {
        return switch (mode) {
            case "round_prefer_floor" -> x == Math.floor(x) + 0.5 ? (long) Math.floor(x) : Math.round(x);
            case "round_prefer_ceil" -> x == Math.floor(x) + 0.5 ? (long) Math.ceil(x) : Math.round(x);
            case "floor" -> (long) Math.floor(x);
            case "ceil" -> (long) Math.ceil(x);
            default -> throw new IllegalArgumentException("nearest_mode " + mode);
        };
    }

    /** Keys' cubic convolution weights of the taps at -1, 0, 1, 2 around a point {@code ratio} past the base. */
    private static double[] cubic(double a, double ratio) {
        double t0 = ratio + 1;
        double t1 = ratio;
        double t2 = 1 - ratio;
        double t3 = 2 - ratio;
        return new double[] {
            ((a * t0 - 5 * a) * t0 + 8 * a) * t0 - 4 * a,
            ((a + 2) * t1 - (a + 3)) * t1 * t1 + 1,
            ((a + 2) * t2 - (a + 3)) * t2 * t2 + 1,
            ((a * t3 - 5 * a) * t3 + 8 * a) * t3 - 4 * a,
        };
    }

    private static long clamp(long index, long length) {
        return Math.clamp(index, 0, length - 1);
    }
}
