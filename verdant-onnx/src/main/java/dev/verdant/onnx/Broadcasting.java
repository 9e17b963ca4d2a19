package dev.verdant.onnx;

import java.util.Arrays;

/**
 * ONNX's multidirectional (numpy) broadcasting of two shapes: dims aligned from the end, a dim of 1 stretched to
 * the other; and the row-major strides that index math over such shapes walks. One rule for inspect's shape inference (verdant-runtime) and the training interpreter's ops
 * (verdant-train).
 */
public final class Broadcasting {

    private Broadcasting() {
    }

    /**
     * The shape two tensors of these shapes broadcast to.
     *
     * @throws IllegalArgumentException when they do not broadcast, naming both shapes
     */
    public static long[] shape(long[] a, long[] b) {
        int rank = Math.max(a.length, b.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            long db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(text(a) + " and " + text(b) + " do not broadcast");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Row-major strides of a shape: how far apart, in elements, consecutive indices of each dim lie. */
    public static long[] strides(long[] shape) {
        long[] strides = new long[shape.length];
        long stride = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = stride;
            stride *= shape[i];
        }
        return strides;
    }

    private static String text(long[] dims) {
        return Arrays.toString(dims).replace(" ", "");
    }
}
