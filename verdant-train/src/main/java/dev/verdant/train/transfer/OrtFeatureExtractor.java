package dev.verdant.train.transfer;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.verdant.data.Batch;
import dev.verdant.data.BatchTensors;
import dev.verdant.data.Dataset;
import dev.verdant.data.FeatureDataset;
import dev.verdant.data.TabularDataset;
import dev.verdant.data.TextDataset;
import dev.verdant.data.TextTokenizer;
import dev.verdant.onnx.OrtSessions;
import dev.verdant.onnx.SessionSpec;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a frozen model forward in ONNX Runtime and returns its first output per sample, flattened: the features of a
 * cut backbone, the embedding of a sentence encoder, or the logits of a finished model. Frozen weights need no
 * autograd, so this is the cheap way to compute them; a transfer run computes the features of its data once and
 * trains the head on them. Images feed the model's one float input; texts are tokenized (truncated to
 * {@code maxTokens}, padded to the longest text of each batch) into {@code input_ids}, {@code attention_mask} and,
 * when the model reads it, {@code token_type_ids}.
 */
public final class OrtFeatureExtractor implements AutoCloseable {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final TextTokenizer tokenizer;   // null for image models
    private boolean closed;

    private OrtFeatureExtractor(OrtSession session, TextTokenizer tokenizer) {
        this.session = session;
        this.tokenizer = tokenizer;
    }

    /**
     * Loads {@code model}; a token model (one reading {@code input_ids}) needs {@code tokenizerFile}.
     *
     * @param threads ONNX Runtime intra-op threads, 0 for its default
     */
    public static OrtFeatureExtractor load(ModelProto model, int threads, Optional<Path> tokenizerFile, int maxTokens) {
        TextTokenizer tokenizer = null;
        if (MeanPooling.readsTokens(model)) {
            Path file = tokenizerFile.orElseThrow(() -> new IllegalArgumentException(
                    "the model reads token ids: give its tokenizer.json"));
            tokenizer = TextTokenizer.load(file, maxTokens);
        }
        try {
            return new OrtFeatureExtractor(SessionSpec.threads(threads).open(model), tokenizer);
        } catch (OrtException e) {
            if (tokenizer != null) {
                tokenizer.close();
            }
            throw new IllegalArgumentException("ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
    }

    /** Whether this model reads texts (token ids) rather than float features. */
    public boolean readsTexts() {
        return tokenizer != null;
    }

    /**
     * The first output for every sample of {@code data}, flattened to {@code [size, D]}, labels and class names
     * kept. Texts need a token model and images a float one; the other way round fails with one line.
     */
    public TabularDataset extract(Dataset<?> data, int batchSize) {
        ensureOpen();
        if (data.size() == 0) {
            throw new IllegalArgumentException(data.name() + " has no samples");
        }
        List<float[]> rows = new ArrayList<>(data.size());
        for (int from = 0; from < data.size(); from += batchSize) {
            int to = Math.min(from + batchSize, data.size());
            rows.addAll(run(data, from, to));
        }
        int width = rows.get(0).length;
        float[] features = new float[Math.multiplyExact(rows.size(), width)];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, features, i * width, width);
        }
        List<String> columns = new ArrayList<>(width);
        for (int j = 0; j < width; j++) {
            columns.add("f" + j);
        }
        return new TabularDataset(data.name() + "/features", features, columns, data.labels(), data.classNames());
    }

    private List<float[]> run(Dataset<?> data, int from, int to) {
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            switch (data) {
                case FeatureDataset<?> images -> {
                    if (tokenizer != null) {
                        throw new IllegalArgumentException("the model reads token ids; " + data.name()
                                + " holds " + images.featureSize() + "-value samples, not texts");
                    }
                    Batch batch = images.batch(from, to);
                    inputs.put(session.getInputNames().iterator().next(), BatchTensors.toTensor(env, batch, session));
                }
                case TextDataset texts -> {
                    if (tokenizer == null) {
                        throw new IllegalArgumentException("the model reads float tensors "
                                + session.getInputNames() + "; " + data.name() + " holds texts");
                    }
                    inputs.putAll(tokenize(texts, from, to));
                }
            }
            try (OrtSession.Result result = session.run(inputs)) {
                return rows(result.get(0), to - from);
            }
        } catch (OrtException e) {
            throw new IllegalArgumentException("ONNX Runtime failed on samples " + from + " to " + to + " of "
                    + data.name() + ": " + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    /** The texts as one batch padded to its longest text, for the inputs the model declares. */
    private Map<String, OnnxTensor> tokenize(TextDataset data, int from, int to) throws OrtException {
        return tokenizer.tokenize(data.name(), data.texts().subList(from, to)).batch(0, to - from)
                .toTensors(env, session.getInputNames());
    }

    private static List<float[]> rows(OnnxValue output, int count) throws OrtException {
        if (!(output instanceof OnnxTensor tensor)) {
            throw new IllegalArgumentException("the model's first output is not a tensor");
        }
        FloatBuffer buffer = tensor.getFloatBuffer();
        if (buffer == null) {
            throw new IllegalArgumentException("the model's first output is not float32");
        }
        int width = buffer.remaining() / count;
        List<float[]> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            float[] row = new float[width];
            buffer.get(row);
            rows.add(row);
        }
        return rows;
    }

    /** The shape of the first output for one sample (without the batch axis), read from one sample of {@code data}. */
    public long[] outputSampleShape(Dataset<?> data) {
        ensureOpen();
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            if (data instanceof FeatureDataset<?> images && tokenizer == null) {
                inputs.put(session.getInputNames().iterator().next(),
                        BatchTensors.toTensor(env, images.batch(0, 1), session));
            } else if (data instanceof TextDataset texts && tokenizer != null) {
                inputs.putAll(tokenize(texts, 0, 1));
            } else {
                run(data, 0, 1); // fails with the one-line reason
            }
            try (OrtSession.Result result = session.run(inputs)) {
                long[] shape = ((OnnxTensor) result.get(0)).getInfo().getShape();
                return java.util.Arrays.copyOfRange(shape, 1, shape.length);
            }
        } catch (OrtException e) {
            throw new IllegalArgumentException("the backbone cannot run on " + data.name() + ": " + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this feature extractor is closed");
        }
    }

    /** Closes the session and the tokenizer; idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                OrtSessions.close(session);
            } finally {
                if (tokenizer != null) {
                    tokenizer.close();
                }
            }
        }
    }
}
