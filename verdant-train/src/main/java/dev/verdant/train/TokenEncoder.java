package dev.verdant.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdant.data.TabularDataset;
import dev.verdant.data.TextDataset;
import dev.verdant.data.TextTokenizer;
import dev.verdant.data.TokenBatch;
import dev.verdant.data.TokenizedTexts;
import dev.verdant.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns labelled texts into fixed-length token ids with a HuggingFace {@code tokenizer.json} (truncated and padded
 * to {@code length} by {@link TextTokenizer}), the input the zoo's transformer classifier reads. The ids travel as a
 * {@link TabularDataset} of floats, exact for any vocabulary under 2^24, so text batches flow through the same
 * trainer as images and are cast back to int64 where the model reads them. {@link #tokenize} instead keeps each
 * text's own length (truncated to {@code length}, unpadded) for encoders that read {@code input_ids},
 * {@code attention_mask} and {@code token_type_ids}, so batches can be padded to their own longest text.
 *
 * @param tokenizerFile the {@code tokenizer.json}
 * @param length        tokens per text, special tokens included
 */
public record TokenEncoder(Path tokenizerFile, int length) {

    /** Ids must stay exact as float32. */
    private static final int MAX_VOCABULARY = 1 << 24;

    /** Texts padded at a time on their way to floats: bounds the int64 copy, not the result. */
    private static final int ENCODE_BATCH = 256;

    public TokenEncoder {
        if (length < 2) {
            throw new IllegalArgumentException("sequence length must be at least 2, got " + length);
        }
    }

    /** The number of ids the tokenizer can produce: the vocabulary plus added tokens outside it. */
    public int vocabularySize() {
        try {
            JsonNode root = Json.mapper().readTree(tokenizerFile.toFile());
            JsonNode vocab = root.path("model").path("vocab");
            if (!vocab.isObject() && !vocab.isArray()) {
                throw new IllegalArgumentException(tokenizerFile + " has no model.vocab; is it a tokenizer.json?");
            }
            int size = vocab.size();
            for (JsonNode added : root.path("added_tokens")) {
                size = Math.max(size, added.path("id").asInt() + 1);
            }
            if (size > MAX_VOCABULARY) {
                throw new IllegalArgumentException("vocabulary of " + size + " ids is too large for float batches");
            }
            return size;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tokenizer " + tokenizerFile + ": " + e.getMessage(), e);
        }
    }

    /** The texts as ids {@code (size, length)}, labels and class names kept. */
    public TabularDataset encode(TextDataset texts) {
        float[] ids = new float[Math.multiplyExact(texts.size(), length)];
        try (TextTokenizer tokenizer = TextTokenizer.load(tokenizerFile, length)) {
            int offset = 0;
            for (TokenBatch batch : tokenizer.tokenize(texts).batches(ENCODE_BATCH, tokenizer.fixedPadding())) {
                for (long id : batch.inputIds()) {
                    ids[offset++] = id;
                }
            }
        }
        List<String> columns = new ArrayList<>(length);
        for (int t = 0; t < length; t++) {
            columns.add("token_" + t);
        }
        return new TabularDataset(texts.name(), ids, columns, texts.labels(), texts.classNames());
    }

    /** The texts as token ids and segment ids, each truncated to {@code length} tokens and not padded. */
    public TokenizedTexts tokenize(TextDataset texts) {
        try (TextTokenizer tokenizer = TextTokenizer.load(tokenizerFile, length)) {
            return tokenizer.tokenize(texts);
        }
    }
}
