package dev.verdant.runtime;

import dev.verdant.data.Batch;
import dev.verdant.data.BatchPadding;
import dev.verdant.data.TextTokenizer;
import dev.verdant.data.TokenBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Scores blocks of examples with a model and, optionally, its baseline, in ONNX Runtime: the one scoring rule of
 * {@code verdant evaluate}, on one machine ({@link #scoreAll}) and on Spark executors ({@link #score}, once per
 * block), so both give the same {@link EvaluationSums}. Blocks of texts ({@link #scoreTexts}) are tokenized with the
 * model's tokenizer and compared by their embeddings, pooled as {@link OrtRunner.Output#embeddings} says.
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
        Sums sums = new Sums();
        for (Batch batch : block.batches(batchSize)) {
            Map<String, InputTensor> feeds = Map.of(input.name(), InputTensors.values(batch, input));
            float[][] rows = rows(model.firstOutput(feeds), batch.size());
            float[][] baseRows = baseline == null ? null : rows(baseline.firstOutput(feeds), batch.size());
            sums.add(rows, baseRows, batch.labels());
        }
        return sums.total(block.size());
    }

    /**
     * Scores one block of texts: tokenized with {@code tokenizer} (truncated to its length), cut into mini-batches
     * of {@code batchSize} padded as {@code padding} says, each fed to the model and its baseline as the token inputs
     * each declares. An example's output is the first output's row, mean-pooled over its real tokens when the output
     * is {@code (batch, sequence, hidden)} (an encoder's embedding, as {@code verdant compress} checks fidelity).
     *
     * @param labels each text's class ({@link Batch#UNLABELLED} for none), for a text classifier
     * @throws IllegalArgumentException when the model does not read tokens, naming the input it takes
     */
    public static EvaluationSums scoreTexts(OrtRunner model, OrtRunner baseline, TextTokenizer tokenizer,
            List<String> texts, int[] labels, int batchSize, BatchPadding padding) {
        if (labels.length != texts.size()) {
            throw new IllegalArgumentException(texts.size() + " texts but " + labels.length + " labels");
        }
        TextFeed.requireTokenInputs(model.inputs());
        if (baseline != null) {
            TextFeed.requireTokenInputs(baseline.inputs());
        }
        Sums sums = new Sums();
        int from = 0;
        for (TokenBatch batch : tokenizer.tokenize("texts", texts).batches(batchSize, padding,
                tokenizer.fixedPadding())) {
            Map<String, InputTensor> feeds = InputTensors.tokens(batch, model.inputs().names());
            InputTensor mask = InputTensor.ofLongs(batch.shape(), batch.attentionMask());
            float[][] rows = model.firstOutput(feeds).embeddings(mask);
            float[][] baseRows = baseline == null ? null
                    : baseline.firstOutput(InputTensors.tokens(batch, baseline.inputs().names())).embeddings(mask);
            sums.add(rows, baseRows, java.util.Arrays.copyOfRange(labels, from, from + batch.size()));
            from += batch.size();
        }
        return sums.total(texts.size());
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

    /** The running sums of one block, batch after batch. */
    private static final class Sums {
        private long labelled;
        private long correct;
        private long baselineCorrect;
        private long compared;
        private double minCosine = 1;
        private double cosineSum;
        private double maxAbsDiff;

        /** One batch's rows of the model and of the baseline (null without one), and its labels. */
        void add(float[][] rows, float[][] baseRows, int[] labels) {
            for (int i = 0; i < rows.length; i++) {
                int label = labels[i];
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

        EvaluationSums total(long examples) {
            return new EvaluationSums(examples, labelled, correct, baselineCorrect, compared, minCosine, cosineSum,
                    maxAbsDiff);
        }
    }
}
