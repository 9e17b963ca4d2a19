package dev.verdant.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

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
        int[] order = range(0, size());
        shuffle(order, new Random(seed));
        return select(order);
    }

    /**
     * Splits at random: {@code round(size * trainFraction)} samples chosen by {@code seed} go to the training part,
     * the rest to the held-out part; both parts keep the dataset's order. The parts are disjoint and together hold
     * every sample once.
     */
    default Split<D> split(double trainFraction, long seed) {
        int trainCount = trainCount(size(), trainFraction);
        int[] order = range(0, size());
        shuffle(order, new Random(seed));
        int[] train = Arrays.copyOf(order, trainCount);
        int[] heldOut = Arrays.copyOfRange(order, trainCount, order.length);
        return parts(train, heldOut);
    }

    /**
     * Splits each class separately, so both parts have (to rounding) the class proportions of the whole:
     * {@code round(classSize * trainFraction)} samples of each class, chosen by {@code seed}, go to the training
     * part. Both parts keep the dataset's order.
     */
    default Split<D> stratifiedSplit(double trainFraction, long seed) {
        trainCount(size(), trainFraction);
        List<int[]> byClass = indicesByClass();
        Random random = new Random(seed);
        int[] train = new int[size()];
        int[] heldOut = new int[size()];
        int trainSize = 0;
        int heldOutSize = 0;
        for (int[] members : byClass) {
            shuffle(members, random);
            int take = (int) Math.round(members.length * trainFraction);
            System.arraycopy(members, 0, train, trainSize, take);
            System.arraycopy(members, take, heldOut, heldOutSize, members.length - take);
            trainSize += take;
            heldOutSize += members.length - take;
        }
        if (trainSize == 0 || heldOutSize == 0) {
            throw new IllegalArgumentException("a stratified split of " + name() + " (" + size() + " samples) at "
                    + trainFraction + " leaves one part empty");
        }
        return parts(Arrays.copyOf(train, trainSize), Arrays.copyOf(heldOut, heldOutSize));
    }

    private Split<D> parts(int[] train, int[] heldOut) {
        Arrays.sort(train);
        Arrays.sort(heldOut);
        return new Split<>(select(train), select(heldOut));
    }

    private List<int[]> indicesByClass() {
        int[] histogram = classHistogram();
        List<int[]> byClass = new ArrayList<>(histogram.length);
        for (int count : histogram) {
            byClass.add(new int[count]);
        }
        int[] filled = new int[histogram.length];
        int[] labels = labels();
        for (int i = 0; i < labels.length; i++) {
            byClass.get(labels[i])[filled[labels[i]]++] = i;
        }
        return byClass;
    }

    private int trainCount(int total, double trainFraction) {
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException("split fraction must be between 0 and 1 (exclusive), not " + trainFraction);
        }
        int trainCount = (int) Math.round(total * trainFraction);
        if (trainCount == 0 || trainCount == total) {
            throw new IllegalArgumentException("a split of " + name() + " (" + total + " samples) at " + trainFraction
                    + " leaves one part empty");
        }
        return trainCount;
    }

    private static int[] range(int from, int to) {
        int[] indices = new int[to - from];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = from + i;
        }
        return indices;
    }

    /** Fisher-Yates, drawing from {@code random} so a seed fixes the order. */
    private static void shuffle(int[] values, Random random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
    }
}
