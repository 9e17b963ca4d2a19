package dev.verdant.train.op;

import java.util.Arrays;

/** Axis arithmetic shared by kernels: negative axes, reduced shapes, products of dims. */
final class Axes {

    private Axes() {
    }

    /** An axis in {@code [-rank, rank)} as a non-negative index. */
    static int normalize(long axis, int rank) {
        long normalized = axis < 0 ? axis + rank : axis;
        if (normalized < 0 || normalized >= Math.max(rank, 1)) {
            throw new IllegalArgumentException("axis " + axis + " is out of range for rank " + rank);
        }
        return (int) normalized;
    }

    /** Normalized, sorted, distinct axes. */
    static int[] normalize(long[] axes, int rank) {
        return Arrays.stream(axes).mapToInt(a -> normalize(a, rank)).distinct().sorted().toArray();
    }

    /** Every axis of a rank. */
    static int[] all(int rank) {
        int[] axes = new int[rank];
        Arrays.setAll(axes, i -> i);
        return axes;
    }

    /** The product of {@code shape[from, to)}. */
    static long product(long[] shape, int from, int to) {
        long product = 1;
        for (int i = from; i < to; i++) {
            product *= shape[i];
        }
        return product;
    }
}
