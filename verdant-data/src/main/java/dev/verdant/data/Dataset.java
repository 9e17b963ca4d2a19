package dev.verdant.data;

import java.util.List;

/**
 * A labelled dataset held in memory: its samples, one int label each in {@code [0, classCount())}, and the class
 * names. Every operation returns a new dataset of the same kind; none changes this one. Shuffles and splits are
 * deterministic for a seed: they use {@link java.util.Random}, whose algorithm the JDK specifies, so a seed gives
 * the same order on every JVM.
 *
 * @param <D> the concrete dataset type, so that {@code subset}, {@code shuffled} and the splits return it
 */
public sealed interface Dataset<D extends Dataset<D>> permits FeatureDataset, TextDataset {

    /** A short name for reports, for example {@code fashion-mnist/test}. */
    String name();

    /** One label per sample. Shared with the dataset, not copied: do not modify. */
    int[] labels();

    /** The class names, indexed by label. */
    List<String> classNames();

    /** A dataset of the samples at {@code indices}, in that order (an index may repeat). */
    D select(int[] indices);

    /** The number of samples. */
    default int size() {
        return labels().length;
    }

    /** The number of classes (some may have no sample). */
    default int classCount() {
        return classNames().size();
    }

    /** The label of sample {@code index}. */
    default int label(int index) {
        return labels()[index];
    }

    /** How many samples each class has, indexed by label. */
    default int[] classHistogram() {
        int[] counts = new int[classCount()];
        for (int label : labels()) {
            counts[label]++;
        }
        return counts;
    }

    /** The first {@code n} samples; use {@code shuffled(seed).subset(n)} for a random subset. */
    default D subset(int n) {
        if (n < 0 || n > size()) {
            throw new IllegalArgumentException("cannot take " + n + " samples of " + name() + ", which has " + size());
        }
        return select(range(0, n));
    }

    /** All samples in an order fixed by {@code seed}. */
    default D shuffled(long seed) {
        return select(IndexDraws.shuffled(size(), seed));
    }

    /**
     * Splits at random: {@code round(size * trainFraction)} samples chosen by {@code seed} go to the training part,
     * the rest to the held-out part; both parts keep the dataset's order. The parts are disjoint and together hold
     * every sample once.
     */
    default Split<D> split(double trainFraction, long seed) {
        int[][] parts = IndexDraws.split(name(), size(), trainFraction, seed);
        return new Split<>(select(parts[0]), select(parts[1]));
    }

    /**
     * Splits each class separately, so both parts have (to rounding) the class proportions of the whole:
     * {@code round(classSize * trainFraction)} samples of each class, chosen by {@code seed}, go to the training
     * part. Both parts keep the dataset's order.
     */
    default Split<D> stratifiedSplit(double trainFraction, long seed) {
        int[][] parts = IndexDraws.stratified(name(), labels(), classCount(), trainFraction, seed);
        return new Split<>(select(parts[0]), select(parts[1]));
    }

    private static int[] range(int from, int to) {
        int[] indices = new int[to - from];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = from + i;
        }
        return indices;
    }
}
