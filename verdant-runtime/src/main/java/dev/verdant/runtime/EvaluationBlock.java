package dev.verdant.runtime;

import dev.verdant.data.Batch;
import dev.verdant.data.FeatureDataset;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A contiguous run of examples an evaluation scores as one unit: the single-machine path scores the blocks in turn,
 * a distributed one on whichever executor gets them, and both merge the blocks' {@link EvaluationSums} in block
 * order. A block is cut into the same mini-batches wherever it is scored, so ONNX Runtime sees the same batches.
 *
 * @param index       the block's place in the data, from 0
 * @param start       the index of its first example in the data
 * @param features    its examples' values, example after example
 * @param labels      each example's label ({@link Batch#UNLABELLED} when it has none)
 * @param sampleShape the shape of one example
 */
public record EvaluationBlock(int index, int start, float[] features, int[] labels, long[] sampleShape)
        implements Serializable {

    /** Examples in the block. */
    public int size() {
        return labels.length;
    }

    /** Its mini-batches of at most {@code batchSize} examples, in order. */
    public List<Batch> batches(int batchSize) {
        int featureSize = features.length / Math.max(labels.length, 1);
        List<Batch> batches = new ArrayList<>();
        for (int from = 0; from < labels.length; from += batchSize) {
            int to = Math.min(labels.length, from + batchSize);
            batches.add(new Batch(start + from, Arrays.copyOfRange(features, from * featureSize, to * featureSize),
                    Arrays.copyOfRange(labels, from, to), sampleShape));
        }
        return batches;
    }

    /** The dataset cut into blocks of {@code blockSize} examples (the last may be shorter). */
    public static List<EvaluationBlock> of(FeatureDataset<?> data, int blockSize) {
        if (blockSize < 1) {
            throw new IllegalArgumentException("a block holds at least one example, got " + blockSize);
        }
        List<EvaluationBlock> blocks = new ArrayList<>();
        for (int from = 0, index = 0; from < data.size(); from += blockSize, index++) {
            Batch batch = data.batch(from, Math.min(data.size(), from + blockSize));
            blocks.add(new EvaluationBlock(index, from, batch.features(), batch.labels(), data.sampleShape()));
        }
        return blocks;
    }
}
