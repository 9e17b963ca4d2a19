package dev.verdant.runtime;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.data.Dataset;
import dev.verdant.data.FeatureDataset;
import dev.verdant.data.TabularDataset;
import dev.verdant.data.TextDataset;
import dev.verdant.data.TextTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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

    private final OrtRunner runner;
    private final TextTokenizer tokenizer;   // null for image models
    private final CloseOnce state = new CloseOnce("this feature extractor is closed");

    private OrtFeatureExtractor(OrtRunner runner, TextTokenizer tokenizer) {
        this.runner = runner;
        this.tokenizer = tokenizer;
    }

    /**
     * Loads {@code model}; a text model ({@link ModelInputs#readsText()}) needs {@code tokenizerFile}.
     *
     * @param threads ONNX Runtime intra-op threads, 0 for its default
     */
    public static OrtFeatureExtractor load(ModelProto model, int threads, Optional<Path> tokenizerFile, int maxTokens) {
        TextTokenizer tokenizer = null;
        if (ModelInputs.of(model).readsText()) {
            Path file = tokenizerFile.orElseThrow(() -> new IllegalArgumentException(
                    "the model reads token ids: give its tokenizer.json"));
            tokenizer = TextTokenizer.load(file, maxTokens);
        }
        try {
            return new OrtFeatureExtractor(OrtRunner.open(model, SessionSpec.threads(threads)), tokenizer);
        } catch (RuntimeException e) {
            if (tokenizer != null) {
                tokenizer.close();
            }
            throw e;
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
        state.ensureOpen();
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
        OrtRunner.Output output = runner.firstOutput(inputs(data, from, to));
        int count = to - from;
        int width = output.values().length / count;
        List<float[]> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            rows.add(Arrays.copyOfRange(output.values(), i * width, (i + 1) * width));
        }
        return rows;
    }

    /** Samples {@code from} to {@code to} as the model's inputs; texts need a text model and images a value one. */
    private Map<String, InputTensor> inputs(Dataset<?> data, int from, int to) {
        ModelInputs inputs = runner.inputs();
        return switch (data) {
            case FeatureDataset<?> images -> {
                if (tokenizer != null) {
                    throw new IllegalArgumentException("the model reads token ids; " + data.name()
                            + " holds " + images.featureSize() + "-value samples, not texts");
                }
                ModelInputs.Input input = inputs.only();
                yield Map.of(input.name(), InputTensors.values(images.batch(from, to), input));
            }
            case TextDataset texts -> {
                if (tokenizer == null) {
                    throw new IllegalArgumentException("the model reads float tensors " + inputs.names() + "; "
                            + data.name() + " holds texts");
                }
                // one batch padded to its longest text, for the inputs the model declares
                yield InputTensors.tokens(tokenizer.tokenize(data.name(), texts.texts().subList(from, to))
                        .batch(0, to - from), inputs.names());
            }
        };
    }

    /** The shape of the first output for one sample (without the batch axis), read from one sample of {@code data}. */
    public long[] outputSampleShape(Dataset<?> data) {
        state.ensureOpen();
        long[] shape = runner.firstOutput(inputs(data, 0, 1)).shape();
        return Arrays.copyOfRange(shape, 1, shape.length);
    }

    /** Closes the session and the tokenizer; idempotent. */
    @Override
    public void close() {
        state.close(() -> {
            try {
                runner.close();
            } finally {
                if (tokenizer != null) {
                    tokenizer.close();
                }
            }
        });
    }
}
