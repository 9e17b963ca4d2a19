package dev.verdant.data;

import java.util.Arrays;
import java.util.Random;

/**
 * The seeded draws of sample indices behind the shuffles and splits of a {@link Dataset} and of
 * {@link TokenizedTexts}: the same size, labels and seed draw the same samples whatever holds them. They
 * use {@link Random}, whose algorithm the JDK specifies, so a seed gives the same draw on every JVM.
 */
final class IndexDraws {

    private IndexDraws() {
    }

    /** {@code 0 .. size - 1} in an order fixed by {@code seed} (Fisher-Yates). */
    static int[] shuffled(int size, long seed) {
        int[] order = new int[size];
        Arrays.setAll(order, i -> i);
        shuffle(order, new Random(seed));
        return order;
    }

    /**
     * The training and held-out indices of a random split: the first {@code round(size * trainFraction)} of
     * {@link #shuffled} train.
     *
     * @return {@code {train, heldOut}}, disjoint, together every index once, each ascending
     * @throws IllegalArgumentException when the fraction is outside (0, 1) or a part would be empty
     */
    static int[][] split(String name, int size, double trainFraction, long seed) {
        int trainCount = trainCount(name, size, trainFraction);
        int[] order = shuffled(size, seed);
        return ascending(Arrays.copyOf(order, trainCount), Arrays.copyOfRange(order, trainCount, size));
    }

    /**
     * The training and held-out indices of a stratified split: each class is shuffled with one {@link Random} and
     * gives {@code round(classSize * trainFraction)} of its samples to the training part, the rest to the held-out
     * part.
     *
     * @param name   what is split, for the error message
     * @param labels one label per sample, each in {@code [0, classCount)}
     * @return {@code {train, heldOut}}, disjoint, together every index once, each ascending
     * @throws IllegalArgumentException when the fraction is outside (0, 1) or a part would be empty
     */
    static int[][] stratified(String name, int[] labels, int classCount, double trainFraction, long seed) {
        trainCount(name, labels.length, trainFraction);
        int[][] byClass = byClass(labels, classCount);
        Random random = new Random(seed);
        int[] train = new int[labels.length];
        int[] heldOut = new int[labels.length];
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
            throw new IllegalArgumentException("a stratified split of " + name + " (" + labels.length + " samples) at "
                    + trainFraction + " leaves one part empty");
        }
        return ascending(Arrays.copyOf(train, trainSize), Arrays.copyOf(heldOut, heldOutSize));
    }

    /** The two parts, each sorted, so a part keeps the order of what was split. */
    private static int[][] ascending(int[] train, int[] heldOut) {
        Arrays.sort(train);
        Arrays.sort(heldOut);
        return new int[][] {train, heldOut};
    }

    /**
     * {@code round(total * trainFraction)}, the training part of a split.
     *
     * @throws IllegalArgumentException when the fraction is outside (0, 1) or a part would be empty
     */
    private static int trainCount(String name, int total, double trainFraction) {
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException("split fraction must be between 0 and 1 (exclusive), not " + trainFraction);
        }
        int trainCount = (int) Math.round(total * trainFraction);
        if (trainCount == 0 || trainCount == total) {
            throw new IllegalArgumentException("a split of " + name + " (" + total + " samples) at " + trainFraction
                    + " leaves one part empty");
        }
        return trainCount;
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

    /** Each class's sample indices, ascending, indexed by label. */
    private static int[][] byClass(int[] labels, int classCount) {
        int[] histogram = new int[classCount];
        for (int label : labels) {
            histogram[label]++;
        }
        int[][] byClass = new int[classCount][];
        for (int c = 0; c < classCount; c++) {
            byClass[c] = new int[histogram[c]];
        }
        int[] filled = new int[classCount];
        for (int i = 0; i < labels.length; i++) {
            byClass[labels[i]][filled[labels[i]]++] = i;
        }
        return byClass;
    }
}
