package dev.verdant.data;

import java.util.Arrays;

/**
 * A dataset whose samples are fixed-size float vectors (images, table rows): the features of all samples lie in
 * one row-major array, and it iterates in {@link Batch}es that {@link BatchTensors} shapes for a model input.
 *
 * @param <D> the concrete dataset type
 */
public sealed interface FeatureDataset<D extends FeatureDataset<D>> extends Dataset<D> permits ImageDataset, TabularDataset {

    /** All features, sample after sample: {@code (size, featureSize)} row-major. Shared, not copied: do not modify. */
    float[] features();

    /** The shape of one sample, for example {@code [1, 28, 28]} for an image or {@code [64]} for a table row. */
    long[] sampleShape();

    /** The number of floats in one sample (the product of {@link #sampleShape()}). */
    default int featureSize() {
        return Math.toIntExact(Arrays.stream(sampleShape()).reduce(1, Math::multiplyExact));
    }

    /** A copy of sample {@code index}'s features. */
    default float[] sample(int index) {
        int featureSize = featureSize();
        return Arrays.copyOfRange(features(), index * featureSize, (index + 1) * featureSize);
    }

    /** The samples {@code [from, to)} as one batch (features copied). */
    default Batch batch(int from, int to) {
        if (from < 0 || to > size() || from >= to) {
            throw new IllegalArgumentException("batch [" + from + ", " + to + ") is outside " + name() + " (" + size()
                    + " samples)");
        }
        int featureSize = featureSize();
        return new Batch(from, Arrays.copyOfRange(features(), from * featureSize, to * featureSize),
                Arrays.copyOfRange(labels(), from, to), sampleShape());
    }

    /**
     * The samples at {@code indices}, in that order, as one batch (features gathered into a new array): a shuffled
     * epoch can batch straight from a permutation without copying the whole dataset first. The batch's
     * {@link Batch#start()} is {@code -1}, as its samples are not a contiguous range.
     */
    default Batch batch(int[] indices) {
        if (indices.length == 0) {
            throw new IllegalArgumentException("a batch needs at least one sample");
        }
        int featureSize = featureSize();
        float[] gathered = new float[Math.multiplyExact(indices.length, featureSize)];
        int[] gatheredLabels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= size()) {
                throw new IllegalArgumentException("sample " + indices[i] + " is outside " + name() + " (" + size()
                        + " samples)");
            }
            System.arraycopy(features(), indices[i] * featureSize, gathered, i * featureSize, featureSize);
            gatheredLabels[i] = labels()[indices[i]];
        }
        return new Batch(-1, gathered, gatheredLabels, sampleShape());
    }

    /** Batches of {@code batchSize} samples in dataset order; the last one may be smaller. */
    default Iterable<Batch> batches(int batchSize) {
        return batches(batchSize, false);
    }

    /**
     * Batches of {@code batchSize} samples in dataset order. With {@code dropLast}, a last batch smaller than
     * {@code batchSize} is left out (for models with a fixed batch dimension); otherwise it is included.
     */
    default Iterable<Batch> batches(int batchSize, boolean dropLast) {
        return BatchRanges.of(size(), batchSize, batchCount(batchSize, dropLast), this::batch);
    }

    /** How many batches {@link #batches(int, boolean)} yields. */
    default int batchCount(int batchSize, boolean dropLast) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, not " + batchSize);
        }
        return dropLast ? size() / batchSize : (size() + batchSize - 1) / batchSize;
    }
}
