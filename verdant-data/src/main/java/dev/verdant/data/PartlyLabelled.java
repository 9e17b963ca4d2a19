package dev.verdant.data;

import java.util.Arrays;
import java.util.Objects;
import java.util.Random;

/**
 * Labelled samples and unlabelled samples of the same shape, trained on together: the transfer set of knowledge
 * distillation (Hinton et al. 2015; Bucila et al. 2006), where a teacher scores every sample and only the labelled
 * ones also carry their label. Epochs mix both parts in one seeded order; in a batch, an unlabelled sample's label is
 * {@link Batch#UNLABELLED}. The labels of the unlabelled part's dataset, if it has any, are never read.
 *
 * @param labelled   the samples whose labels training reads
 * @param unlabelled the samples only a teacher scores; same sample shape as {@code labelled}
 */
public record PartlyLabelled(FeatureDataset<?> labelled, FeatureDataset<?> unlabelled) {

    public PartlyLabelled {
        Objects.requireNonNull(labelled, "labelled");
        Objects.requireNonNull(unlabelled, "unlabelled");
        if (!Arrays.equals(labelled.sampleShape(), unlabelled.sampleShape())) {
            throw new DataFormatException("the unlabelled samples of " + unlabelled.name() + " have shape "
                    + Arrays.toString(unlabelled.sampleShape()) + ", the labelled ones of " + labelled.name() + " "
                    + Arrays.toString(labelled.sampleShape()));
        }
        if (labelled.size() == 0 || unlabelled.size() == 0) {
            throw new DataFormatException("a partly labelled set needs labelled and unlabelled samples, got "
                    + labelled.size() + " and " + unlabelled.size());
        }
    }

    /** Both parts' sizes, for reports: {@code fashion-mnist/train + 54000 unlabelled}. */
    public String name() {
        return labelled.name() + " + " + unlabelled.size() + " unlabelled (" + unlabelled.name() + ")";
    }

    /** Labelled and unlabelled samples together. */
    public int size() {
        return labelled.size() + unlabelled.size();
    }

    /** Batches per epoch at {@code batchSize}, the last one possibly smaller. */
    public int batchCount(int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, not " + batchSize);
        }
        return (size() + batchSize - 1) / batchSize;
    }

    /**
     * Every sample of both parts once, in an order fixed by {@code seed} (Fisher-Yates over {@link Random}), in batches
     * of {@code batchSize}; the last one may be smaller.
     */
    public Iterable<Batch> shuffledBatches(int batchSize, long seed) {
        int[] order = new int[size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return BatchRanges.of(order.length, batchSize, batchCount(batchSize), (from, to) -> gather(order, from, to));
    }

    /** The samples {@code order[from, to)}: indices below the labelled size are labelled samples, the rest unlabelled. */
    private Batch gather(int[] order, int from, int to) {
        int featureSize = labelled.featureSize();
        float[] features = new float[Math.multiplyExact(to - from, featureSize)];
        int[] labels = new int[to - from];
        int labelledSize = labelled.size();
        for (int i = 0; i < labels.length; i++) {
            int index = order[from + i];
            boolean isLabelled = index < labelledSize;
            FeatureDataset<?> part = isLabelled ? labelled : unlabelled;
            int inPart = isLabelled ? index : index - labelledSize;
            System.arraycopy(part.features(), inPart * featureSize, features, i * featureSize, featureSize);
            labels[i] = isLabelled ? labelled.labels()[inPart] : Batch.UNLABELLED;
        }
        return new Batch(-1, features, labels, labelled.sampleShape());
    }
}
