package dev.verdant.runtime;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.data.Batch;
import dev.verdant.data.FeatureDataset;
import dev.verdant.data.TokenBatch;
import dev.verdant.data.TokenizedTexts;
import java.util.Arrays;
import java.util.Map;

/**
 * A classifier loaded into ONNX Runtime: scores batches and measures accuracy on the exported model itself, so the
 * number a training run reports is the number a user of the file will see. Float features feed a float input as
 * they are; an int64 input (token ids) takes them as whole numbers. A token encoder classifier (one that
 * {@link ModelInputs#readsTokenBatches() reads token batches}) scores {@link TokenizedTexts} instead.
 */
public final class OrtClassifier implements AutoCloseable {

    private final OrtRunner runner;
    private final ModelInputs inputs;
    private final boolean tokenInputs;   // an encoder reading input_ids (and attention_mask, token_type_ids)

    private OrtClassifier(OrtRunner runner) {
        this.runner = runner;
        this.inputs = runner.inputs();
        this.tokenInputs = inputs.readsTokenBatches();
    }

    /** Loads a model with {@code threads} intra-op threads (0 lets ONNX Runtime choose). */
    public static OrtClassifier load(ModelProto model, int threads) {
        ModelInputs inputs = ModelInputs.of(model);
        if (!inputs.readsTokenBatches() && inputs.inputs().size() != 1 || model.getGraph().getOutputCount() == 0) {
            throw new IllegalArgumentException("a classifier has one input (or token inputs "
                    + ModelInputs.TOKEN_INPUTS + ") and a logits output; this model has inputs " + inputs.names()
                    + " and outputs " + model.getGraph().getOutputList().stream().map(o -> o.getName()).toList());
        }
        return new OrtClassifier(OrtRunner.open(model, SessionSpec.threads(threads)));
    }

    /** The logits of one batch, {@code [batch size][classes]}. */
    public float[][] logits(Batch batch) {
        if (tokenInputs) {
            throw new IllegalArgumentException("the model reads token inputs " + inputs.names()
                    + "; score tokenized texts, not feature vectors");
        }
        ModelInputs.Input input = inputs.only();
        InputTensor values = inputs.readsOneIdTensor() ? InputTensors.ids(batch) : InputTensors.values(batch, input);
        return logits(Map.of(input.name(), values), batch.toString());
    }

    /** The logits of a batch of tokenized texts, {@code [batch size][classes]}, for a token encoder classifier. */
    public float[][] logits(TokenBatch batch) {
        if (!tokenInputs) {
            throw new IllegalArgumentException("the model reads one input '" + inputs.names().get(0)
                    + "', not token inputs");
        }
        return logits(InputTensors.tokens(batch, inputs.names()), batch.size() + " texts of " + batch.length()
                + " tokens");
    }

    private float[][] logits(Map<String, InputTensor> feeds, String what) {
        OrtRunner.Output output = runner.firstOutput(feeds);
        long[] shape = output.shape();
        if (shape.length != 2) {
            throw new IllegalArgumentException("the model's first output is not a float [N, classes] tensor ("
                    + what + ")");
        }
        int rows = Math.toIntExact(shape[0]);
        int classes = Math.toIntExact(shape[1]);
        float[][] scores = new float[rows][];
        for (int i = 0; i < rows; i++) {
            scores[i] = Arrays.copyOfRange(output.values(), i * classes, (i + 1) * classes);
        }
        return scores;
    }

    /** Accuracy and mean cross-entropy over a whole dataset, in batches of {@code batchSize}. */
    public Evaluation evaluate(FeatureDataset<?> data, int batchSize) {
        Tally tally = new Tally();
        for (Batch batch : data.batches(batchSize)) {
            tally.add(logits(batch), batch.labels());
        }
        return tally.evaluation();
    }

    /** Accuracy and mean cross-entropy over tokenized texts, in batches of {@code batchSize} padded to their longest. */
    public Evaluation evaluate(TokenizedTexts data, int batchSize) {
        Tally tally = new Tally();
        for (TokenBatch batch : data.batches(batchSize)) {
            tally.add(logits(batch), batch.labels());
        }
        return tally.evaluation();
    }

    /** Correct answers and summed cross-entropy over the batches scored so far. */
    private static final class Tally {
        private long correct;
        private double lossSum;
        private int samples;

        void add(float[][] scores, int[] labels) {
            for (int i = 0; i < labels.length; i++) {
                if (argmax(scores[i]) == labels[i]) {
                    correct++;
                }
                lossSum += crossEntropy(scores[i], labels[i]);
            }
            samples += labels.length;
        }

        Evaluation evaluation() {
            return new Evaluation(samples, (double) correct / samples, lossSum / samples);
        }
    }

    /** The index of the largest score (the first on ties). */
    public static int argmax(float[] scores) {
        int best = 0;
        for (int i = 1; i < scores.length; i++) {
            if (scores[i] > scores[best]) {
                best = i;
            }
        }
        return best;
    }

    /** -log softmax(scores)[label], computed stably in double. */
    public static double crossEntropy(float[] scores, int label) {
        double max = Double.NEGATIVE_INFINITY;
        for (float s : scores) {
            max = Math.max(max, s);
        }
        double sum = 0;
        for (float s : scores) {
            sum += Math.exp(s - max);
        }
        return Math.log(sum) + max - scores[label];
    }

    /** Closes the session; idempotent. */
    @Override
    public void close() {
        runner.close();
    }

    /**
     * What an evaluation measured.
     *
     * @param samples  how many samples were scored
     * @param accuracy fraction whose top-scoring class is the label
     * @param loss     mean cross-entropy of the logits against the labels
     */
    public record Evaluation(int samples, double accuracy, double loss) {
    }
}
