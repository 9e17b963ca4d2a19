package dev.verdant.data;

import java.util.Arrays;

/**
 * A batch of samples ready for a model: their features {@code (size, featureSize)} row-major, their labels, and
 * the shape of one sample; {@link BatchTensors} gives it the model's input shape.
 *
 * @param start       the index in its dataset of the batch's first sample; -1 when gathered from scattered indices
 * @param features    {@code (size, featureSize)} row-major; the batch owns this array
 * @param labels      one label per sample: a class index, or {@link #UNLABELLED} for a sample of a distillation
 *                    transfer set that only a teacher scores ({@link PartlyLabelled})
 * @param sampleShape the shape of one sample, for example {@code [1, 28, 28]}
 */
public record Batch(int start, float[] features, int[] labels, long[] sampleShape) {

    /** The label of a sample that has none: losses that read labels skip it. */
    public static final int UNLABELLED = -1;

    public Batch {
        for (int label : labels) {
            if (label < UNLABELLED) {
                throw new IllegalArgumentException("label " + label + " is neither a class index nor UNLABELLED (-1)");
            }
        }
        long featureSize = Arrays.stream(sampleShape).reduce(1, Math::multiplyExact);
        if ((long) labels.length * featureSize != features.length) {
            throw new IllegalArgumentException("a batch of " + labels.length + " samples of shape "
                    + Arrays.toString(sampleShape) + " needs " + labels.length * featureSize + " floats, not "
                    + features.length);
        }
        sampleShape = sampleShape.clone();
    }

    /** The number of samples in the batch. */
    public int size() {
        return labels.length;
    }

    /** Whether some sample of the batch has no label ({@link #UNLABELLED}). */
    public boolean hasUnlabelled() {
        for (int label : labels) {
            if (label == UNLABELLED) {
                return true;
            }
        }
        return false;
    }

    /** The batch's natural shape: {@code [size, sampleShape...]}. */
    public long[] shape() {
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = size();
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        return shape;
    }

    /** The shape of one sample (a copy). */
    @Override
    public long[] sampleShape() {
        return sampleShape.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Batch that && start == that.start && Arrays.equals(features, that.features)
                && Arrays.equals(labels, that.labels) && Arrays.equals(sampleShape, that.sampleShape);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Integer.hashCode(start) + Arrays.hashCode(labels)) + Arrays.hashCode(sampleShape);
    }

    @Override
    public String toString() {
        return "Batch[start=" + start + ", shape=" + Arrays.toString(shape()) + "]";
    }
}
