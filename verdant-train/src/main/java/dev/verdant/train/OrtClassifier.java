package dev.verdant.train;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.verdant.data.Batch;
import dev.verdant.data.BatchTensors;
import dev.verdant.data.FeatureDataset;
import dev.verdant.data.TokenBatch;
import dev.verdant.data.TokenizedTexts;
import dev.verdant.onnx.OrtSessions;
import dev.verdant.onnx.SessionSpec;
import java.nio.LongBuffer;
import java.util.Map;
import java.util.Set;

/**
 * A classifier loaded into ONNX Runtime: scores batches and measures accuracy on the exported model itself, so the
 * number a training run reports is the number a user of the file will see. Float features feed a float input as
 * they are; an int64 input (token ids) takes them as whole numbers. A token encoder classifier (reading
 * {@code input_ids}, {@code attention_mask}, {@code token_type_ids}) scores {@link TokenizedTexts} instead.
 */
public final class OrtClassifier implements AutoCloseable {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String inputName;
    private final boolean int64Input;
    private final boolean tokenInputs;   // an encoder reading input_ids (and attention_mask, token_type_ids)
    private boolean closed;

    private OrtClassifier(OrtSession session) throws OrtException {
        this.session = session;
        Set<String> inputs = session.getInputInfo().keySet();
        this.tokenInputs = TokenBatch.fills(inputs);
        if (!tokenInputs && inputs.size() != 1 || session.getOutputInfo().isEmpty()) {
            throw new IllegalArgumentException("a classifier has one input (or token inputs " + TokenBatch.INPUT_NAMES
                    + ") and a logits output; this model has inputs " + inputs + " and outputs "
                    + session.getOutputInfo().keySet());
        }
        var input = session.getInputInfo().values().iterator().next();
        this.inputName = input.getName();
        this.int64Input = input.getInfo() instanceof ai.onnxruntime.TensorInfo info
                && info.type == ai.onnxruntime.OnnxJavaType.INT64;
    }

    /** Loads a model with {@code threads} intra-op threads (0 lets ONNX Runtime choose). */
    public static OrtClassifier load(ModelProto model, int threads) {
        try {
            return new OrtClassifier(SessionSpec.threads(threads).open(model));
        } catch (OrtException e) {
            throw new IllegalArgumentException("ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
    }

    /** The logits of one batch, {@code [batch size][classes]}. */
    public float[][] logits(Batch batch) {
        ensureOpen();
        if (tokenInputs) {
            throw new IllegalArgumentException("the model reads token inputs " + session.getInputNames()
                    + "; score tokenized texts, not feature vectors");
        }
        try (OnnxTensor input = tensor(batch)) {
            return logits(Map.of(inputName, input), batch.toString());
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on " + batch + ": " + e.getMessage(), e);
        }
    }

    /** The logits of a batch of tokenized texts, {@code [batch size][classes]}, for a token encoder classifier. */
    public float[][] logits(TokenBatch batch) {
        ensureOpen();
        if (!tokenInputs) {
            throw new IllegalArgumentException("the model reads one input '" + inputName + "', not token inputs");
        }
        Map<String, OnnxTensor> inputs = Map.of();
        try {
            inputs = batch.toTensors(env, session.getInputNames());
            return logits(inputs, batch.size() + " texts of " + batch.length() + " tokens");
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on " + batch.size() + " texts: " + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private float[][] logits(Map<String, OnnxTensor> inputs, String what) throws OrtException {
        try (OrtSession.Result result = session.run(inputs)) {
            Object value = result.get(0).getValue();
            if (!(value instanceof float[][] scores)) {
                throw new IllegalArgumentException("the model's first output is not a float [N, classes] tensor ("
                        + what + ")");
            }
            return scores;
        }
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
    static double crossEntropy(float[] scores, int label) {
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

    private OnnxTensor tensor(Batch batch) throws OrtException {
        if (!int64Input) {
            return BatchTensors.toTensor(env, batch, session);
        }
        float[] features = batch.features();
        long[] ids = new long[features.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (long) features[i];
        }
        return OnnxTensor.createTensor(env, LongBuffer.wrap(ids), batch.shape());
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this classifier is closed");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            OrtSessions.close(session);
        }
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
