package dev.verdant.data;

import java.util.Iterator;
import java.util.NoSuchElementException;

/** Consecutive batches over samples {@code [0, size)}: one iteration order shared by every kind of dataset. */
final class BatchRanges {

    /** Makes the batch of samples {@code [from, to)}. */
    @FunctionalInterface
    interface Slicer<B> {
        B slice(int from, int to);
    }

    private BatchRanges() {
    }

    /** {@code count} batches of {@code batchSize} samples in order, the last one cut at {@code size}. */
    static <B> Iterable<B> of(int size, int batchSize, int count, Slicer<B> slicer) {
        return () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public B next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int from = next++ * batchSize;
                return slicer.slice(from, Math.min(from + batchSize, size));
            }
        };
    }
}
