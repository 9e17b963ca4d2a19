package dev.verdant.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Labelled texts already tokenized (each truncated, none padded), ready to batch for an encoder: tokenizing once
 * costs less than tokenizing every epoch, and {@link #batches} pads each batch only to its own longest text (or, for
 * models that read a fixed length, to a {@link TokenPadding}). {@link TextTokenizer} makes them.
 *
 * @param name         a short name for reports
 * @param inputIds     one id sequence per text, special tokens included
 * @param tokenTypeIds one segment-id sequence per text, each as long as its ids
 * @param labels       one label per text; shared, not copied: do not modify
 * @param classNames   the class names, indexed by label
 */
public record TokenizedTexts(String name, List<long[]> inputIds, List<long[]> tokenTypeIds, int[] labels,
        List<String> classNames) {

    public TokenizedTexts {
        Objects.requireNonNull(name, "name");
        inputIds = List.copyOf(inputIds);
        tokenTypeIds = List.copyOf(tokenTypeIds);
        classNames = List.copyOf(classNames);
        if (inputIds.size() != labels.length || tokenTypeIds.size() != labels.length) {
            throw new DataFormatException(name + ": " + inputIds.size() + " id sequences, " + tokenTypeIds.size()
                    + " type sequences but " + labels.length + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            if (inputIds.get(i).length == 0 || inputIds.get(i).length != tokenTypeIds.get(i).length) {
                throw new DataFormatException(name + ": text " + i + " has " + inputIds.get(i).length + " ids and "
                        + tokenTypeIds.get(i).length + " type ids (needs as many, at least one)");
            }
        }
        LabelIndex.check(name, labels, classNames);
    }

    /** The number of texts. */
    public int size() {
        return labels.length;
    }

    /** The number of classes. */
    public int classCount() {
        return classNames.size();
    }

    /** The texts at {@code indices}, in that order. */
    public TokenizedTexts select(int[] indices) {
        List<long[]> ids = new ArrayList<>(indices.length);
        List<long[]> types = new ArrayList<>(indices.length);
        int[] selected = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            ids.add(inputIds.get(indices[i]));
            types.add(tokenTypeIds.get(indices[i]));
            selected[i] = labels[indices[i]];
        }
        return new TokenizedTexts(name, ids, types, selected, classNames);
    }

    /** The first {@code n} texts. */
    public TokenizedTexts subset(int n) {
        if (n < 0 || n > size()) {
            throw new IllegalArgumentException("cannot take " + n + " texts of " + name + ", which has " + size());
        }
        int[] first = new int[n];
        Arrays.setAll(first, i -> i);
        return select(first);
    }

    /** All texts in an order fixed by {@code seed}. */
    public TokenizedTexts shuffled(long seed) {
        return select(IndexDraws.shuffled(size(), seed));
    }

    /**
     * Splits each class separately as {@link Dataset#stratifiedSplit} does, with the same draw for the same labels
     * and seed: {@code round(classSize * trainFraction)} texts of each class go to the training part; both parts
     * keep this order.
     *
     * @throws IllegalArgumentException when the fraction is outside (0, 1) or leaves a part empty
     */
    public Split<TokenizedTexts> stratifiedSplit(double trainFraction, long seed) {
        int[][] parts = IndexDraws.stratified(name, labels, classCount(), trainFraction, seed);
        return new Split<>(select(parts[0]), select(parts[1]));
    }

    /** Tokens of the longest text. */
    public int maxLength() {
        return inputIds.stream().mapToInt(ids -> ids.length).max().orElse(0);
    }

    /** Tokens over all texts: the work an encoder does on them, padding excluded. */
    public long tokenCount() {
        return inputIds.stream().mapToLong(ids -> ids.length).sum();
    }

    /** The texts {@code [from, to)} as one batch padded to its longest text (padding id 0, segment 0). */
    public TokenBatch batch(int from, int to) {
        return batchToLongest(from, to, TokenPadding.zerosTo(1));
    }

    /**
     * The texts {@code [from, to)} as one batch padded to its longest text with the pad id and segment of
     * {@code ids} (its length is not used).
     */
    private TokenBatch batchToLongest(int from, int to, TokenPadding ids) {
        checkRange(from, to);
        int length = 0;
        for (int i = from; i < to; i++) {
            length = Math.max(length, inputIds.get(i).length);
        }
        return batch(from, to, new TokenPadding(length, ids.padId(), ids.padTypeId()));
    }

    /**
     * The texts {@code [from, to)} as one batch padded as {@code padding} says, for models that read a fixed length.
     *
     * @throws IllegalArgumentException when a text is longer than the padded length
     */
    public TokenBatch batch(int from, int to, TokenPadding padding) {
        checkRange(from, to);
        int length = padding.length();
        int rows = to - from;
        long[] ids = new long[Math.multiplyExact(rows, length)];
        long[] mask = new long[ids.length];
        long[] types = new long[ids.length];
        for (int r = 0; r < rows; r++) {
            long[] text = inputIds.get(from + r);
            if (text.length > length) {
                throw new IllegalArgumentException("text " + (from + r) + " of " + name + " has " + text.length
                        + " tokens, more than the padded length " + length);
            }
            int start = r * length;
            System.arraycopy(text, 0, ids, start, text.length);
            System.arraycopy(tokenTypeIds.get(from + r), 0, types, start, text.length);
            Arrays.fill(mask, start, start + text.length, 1L);
            Arrays.fill(ids, start + text.length, start + length, padding.padId());
            Arrays.fill(types, start + text.length, start + length, padding.padTypeId());
        }
        return new TokenBatch(ids, mask, types, Arrays.copyOfRange(labels, from, to), length);
    }

    private void checkRange(int from, int to) {
        if (from < 0 || to > size() || from >= to) {
            throw new IllegalArgumentException("batch [" + from + ", " + to + ") is outside " + name + " (" + size()
                    + " texts)");
        }
    }

    /** Batches of {@code batchSize} texts in order, the last one possibly smaller, each padded to its longest. */
    public Iterable<TokenBatch> batches(int batchSize) {
        return BatchRanges.of(size(), batchSize, batchCount(batchSize), this::batch);
    }

    /** Batches of {@code batchSize} texts in order, the last one possibly smaller, each padded as {@code padding}. */
    public Iterable<TokenBatch> batches(int batchSize, TokenPadding padding) {
        return BatchRanges.of(size(), batchSize, batchCount(batchSize), (from, to) -> batch(from, to, padding));
    }

    /**
     * Batches of {@code batchSize} texts in order, the last one possibly smaller, padded as {@code padding} says:
     * each to its own longest text, or all to {@code fixed}'s length; either way with {@code fixed}'s pad id and
     * segment (a tokenizer's {@link TextTokenizer#fixedPadding}).
     */
    public Iterable<TokenBatch> batches(int batchSize, BatchPadding padding, TokenPadding fixed) {
        return switch (padding) {
            case LONGEST -> BatchRanges.of(size(), batchSize, batchCount(batchSize),
                    (from, to) -> batchToLongest(from, to, fixed));
            case MAX -> batches(batchSize, fixed);
        };
    }

    /** How many batches {@link #batches} yields. */
    public int batchCount(int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, not " + batchSize);
        }
        return (size() + batchSize - 1) / batchSize;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TokenizedTexts that && name.equals(that.name) && Arrays.equals(labels, that.labels)
                && classNames.equals(that.classNames) && sameSequences(inputIds, that.inputIds)
                && sameSequences(tokenTypeIds, that.tokenTypeIds);
    }

    private static boolean sameSequences(List<long[]> a, List<long[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(labels), classNames, size());
    }

    @Override
    public String toString() {
        return "TokenizedTexts[" + name + ": " + size() + " texts, " + tokenCount() + " tokens, " + classCount()
                + " classes]";
    }
}
