package dev.verdant.runtime;

import dev.verdant.data.BatchPadding;
import dev.verdant.data.TextTokenizer;
import dev.verdant.data.TokenBatch;
import dev.verdant.onnx.DataType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Real sentences for a BERT-style text model: tokenized with the model's own HuggingFace {@code tokenizer.json}
 * ({@link TextTokenizer}), truncated to a sequence length and padded as {@code padding} says (each batch to its
 * own longest text, as users' batches are, or every batch to the sequence length), and fed as the int64 inputs
 * {@code input_ids}, {@code attention_mask} and {@code token_type_ids} (whichever the model declares), made by
 * {@link InputTensors#tokens}.
 *
 * @param corpusName     where the sentences come from, for reports
 * @param sentences      the sentences, in the order batches take them
 * @param tokenizerFile  the model's {@code tokenizer.json}
 * @param sequenceLength tokens a sentence is truncated to, and padded to with {@link BatchPadding#MAX}
 * @param padding        how far each batch is padded
 */
public record TextFeed(String corpusName, List<String> sentences, Path tokenizerFile, int sequenceLength,
        BatchPadding padding) implements Feed {

    public TextFeed {
        sentences = List.copyOf(sentences);
        Objects.requireNonNull(padding, "padding");
        if (sequenceLength <= 0) {
            throw new IllegalArgumentException("--seq-len must be positive, got " + sequenceLength);
        }
    }

    @Override
    public String kind() {
        return "data";
    }

    @Override
    public String description() {
        return sentences.size() + " real sentences of " + corpusName + ", tokenized with " + tokenizerFile.getFileName()
                + ", " + padding.describe(sequenceLength);
    }

    @Override
    public Optional<BatchPadding> textPadding() {
        return Optional.of(padding);
    }

    /**
     * Checks that tokenized text fills every input: each is one of {@link ModelInputs#TOKEN_INPUTS}, int64.
     *
     * @throws IllegalArgumentException naming the first input it cannot fill
     */
    static void requireTokenInputs(ModelInputs inputs) {
        for (ModelInputs.Input input : inputs.inputs()) {
            if (!ModelInputs.TOKEN_INPUTS.contains(input.name())) {
                throw new IllegalArgumentException("the model takes input '" + input.name() + "', which tokenized "
                        + "text cannot fill (text fills " + String.join(", ", ModelInputs.TOKEN_INPUTS) + ")");
            }
            if (input.type() != DataType.INT64) {
                throw new IllegalArgumentException("the model's input '" + input.name() + "' is not an int64 tensor");
            }
        }
    }

    @Override
    public PreparedBatches prepare(OrtRunner runner, int batchSize) {
        ModelInputs inputs = runner.inputs();
        requireTokenInputs(inputs);
        int count = Math.min(MAX_DISTINCT_BATCHES, sentences.size() / batchSize);
        if (count == 0) {
            throw new IllegalArgumentException(corpusName + " has " + sentences.size()
                    + " sentences, fewer than the batch size " + batchSize);
        }
        try (TextTokenizer tokenizer = TextTokenizer.load(tokenizerFile, sequenceLength)) {
            List<TokenBatch> batches = new ArrayList<>();
            tokenizer.tokenize(corpusName, sentences.subList(0, count * batchSize))
                    .batches(batchSize, padding, tokenizer.fixedPadding()).forEach(batches::add);
            return PreparedBatches.of(batches.size(), batchSize,
                    i -> InputTensors.tokens(batches.get(i), inputs.names()));
        }
    }
}
