package dev.verdant.runtime;

import dev.verdant.data.Batch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Scores blocks of examples with a model and, optionally, its baseline, in ONNX Runtime: the one scoring rule of
 * {@code verdant evaluate}, on one machine ({@link #scoreAll}) and on Spark executors ({@link #score}, once per
 * block), so both give the same {@link EvaluationSums}.
 */
public final class BlockScorer {

    private BlockScorer() {
    }

    /**
     * Scores one block in mini-batches of {@code batchSize}.
     *
     * @param model    the model evaluated (a classifier when the data has labels)
     * @param baseline the model it is compared with, or null
     * @throws IllegalArgumentException when the data does not fit the model's input, naming the input
     */
    public static EvaluationSums score(OrtRunner model, OrtRunner baseline, EvaluationBlock block, int batchSize) {
        ModelInputs.Input input = model.inputs().only();
        long labelled = 0;
        long correct = 0;
        long baselineCorrect = 0;
        long compared = 0;
        double minCosine = 1;
        double cosineSum = 0;
        double maxAbsDiff = 0;
        for (Batch batch : block.batches(batchSize)) {
            Map<String, InputTensor> feeds = Map.of(input.name(), InputTensors.values(batch, input));
            float[][] rows = rows(model.firstOutput(feeds), batch.size());
            float[][] baseRows = baseline == null ? null : rows(baseline.firstOutput(feeds), batch.size());
            for (int i = 0; i < rows.length; i++) {
                int label = batch.labels()[i];
                if (label != Batch.UNLABELLED) {
                    labelled++;
                    correct += OrtClassifier.argmax(rows[i]) == label ? 1 : 0;
                    baselineCorrect += baseRows != null && OrtClassifier.argmax(baseRows[i]) == label ? 1 : 0;
                }
                if (baseRows != null) {
                    if (baseRows[i].length != rows[i].length) {
                        throw new IllegalArgumentException("the model returns " + rows[i].length + " values an example"
                                + " and its baseline " + baseRows[i].length + "; they cannot be compared");
                    }
                    double cosine = EvaluationSums.cosine(baseRows[i], rows[i]);
                    minCosine = Math.min(minCosine, cosine);
                    cosineSum += cosine;
                    compared++;
                    for (int j = 0; j < rows[i].length; j++) {
                        maxAbsDiff = Math.max(maxAbsDiff, Math.abs((double) rows[i][j] - baseRows[i][j]));
                    }
                }
            }
        }
        return new EvaluationSums(block.size(), labelled, correct, baselineCorrect, compared, minCosine, cosineSum,
                maxAbsDiff);
    }

    /** Scores every block in turn and merges their sums in block order: the single-machine evaluation. */
    public static EvaluationSums scoreAll(OrtRunner model, OrtRunner baseline, List<EvaluationBlock> blocks,
            int batchSize) {
        List<EvaluationSums> sums = new ArrayList<>();
        for (EvaluationBlock block : blocks) {
            sums.add(score(model, baseline, block, batchSize));
        }
        return EvaluationSums.merge(sums);
    }

    /** The first output, one row of values per example. */
    private static float[][] rows(OrtRunner.Output output, int examples) {
        int perRow = output.values().length / Math.max(examples, 1);
        float[][] rows = new float[examples][];
        for (int i = 0; i < examples; i++) {
            rows[i] = java.util.Arrays.copyOfRange(output.values(), i * perRow, (i + 1) * perRow);
        }
        return rows;
    }
}
