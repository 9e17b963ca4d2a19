package dev.verdant.data;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A HuggingFace {@code tokenizer.json} loaded once: the one way Verdant turns texts into the token ids of a
 * BERT-style encoder. Each text is truncated to {@code maxTokens} (special tokens included) and left unpadded, so
 * {@link TokenizedTexts} can pad each batch to its own longest text, or to {@link #fixedPadding} for models and
 * measurements that read a fixed length (exactly what the tokenizer's own pad-to-max-length encoding gives).
 * Holds the native tokenizer: close it.
 */
public final class TextTokenizer implements AutoCloseable {

    private final Path file;
    private final int maxTokens;
    private final TokenPadding fixedPadding;
    private final HuggingFaceTokenizer tokenizer;

    private TextTokenizer(Path file, int maxTokens, TokenPadding fixedPadding, HuggingFaceTokenizer tokenizer) {
        this.file = file;
        this.maxTokens = maxTokens;
        this.fixedPadding = fixedPadding;
        this.tokenizer = tokenizer;
    }

    /**
     * Loads {@code tokenizerFile} to cut texts at {@code maxTokens} tokens.
     *
     * @throws DataFormatException      with one line naming the file when it is not a tokenizer.json the native
     *                                  library can use safely (see {@link TokenizerFile})
     * @throws UncheckedIOException     when the file cannot be read
     * @throws IllegalArgumentException when {@code maxTokens} is not positive
     */
    public static TextTokenizer load(Path tokenizerFile, int maxTokens) {
        Objects.requireNonNull(tokenizerFile, "tokenizerFile");
        if (maxTokens < 1) {
            throw new IllegalArgumentException("texts need at least 1 token, not " + maxTokens);
        }
        // checked as JSON first: the native library aborts the JVM on some files it accepts
        JsonNode json = TokenizerFile.read(tokenizerFile);
        try {
            TokenPadding padding = padding(json, maxTokens);
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder().optTokenizerPath(tokenizerFile)
                    .optMaxLength(maxTokens).optTruncation(true).optPadding(false).build();
            return new TextTokenizer(tokenizerFile, maxTokens, padding, tokenizer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load tokenizer " + tokenizerFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * The pad id and segment the tokenizer's own padding uses ({@code padding} in {@code tokenizer.json}; 0 and 0,
     * the tokenizers library's default, when it names none).
     */
    private static TokenPadding padding(JsonNode tokenizer, int length) {
        JsonNode padding = tokenizer.path("padding");
        return new TokenPadding(length, padding.path("pad_id").asLong(0), padding.path("pad_type_id").asLong(0));
    }

    /** The {@code tokenizer.json} this reads. */
    public Path file() {
        return file;
    }

    /** Tokens a text is truncated to, special tokens included. */
    public int maxTokens() {
        return maxTokens;
    }

    /** Padding every text to {@link #maxTokens} with the tokenizer's own pad id and segment. */
    public TokenPadding fixedPadding() {
        return fixedPadding;
    }

    /** The texts as token and segment ids, each truncated to {@link #maxTokens}; labels and class names kept. */
    public TokenizedTexts tokenize(TextDataset texts) {
        List<long[]> ids = new ArrayList<>(texts.size());
        List<long[]> types = new ArrayList<>(texts.size());
        if (texts.size() > 0) {
            ensureOpen();
            for (Encoding encoding : tokenizer.batchEncode(texts.texts())) {
                ids.add(encoding.getIds());
                types.add(encoding.getTypeIds());
            }
        }
        return new TokenizedTexts(texts.name(), ids, types, texts.labels(), texts.classNames());
    }

    /** Texts without labels (each gets label 0 of the one class {@code text}), tokenized as {@link #tokenize}. */
    public TokenizedTexts tokenize(String name, List<String> texts) {
        return tokenize(new TextDataset(name, texts, new int[texts.size()], List.of("text")));
    }

    private void ensureOpen() {
        if (tokenizer.isReleased()) {
            throw new IllegalStateException("the tokenizer " + file + " is closed");
        }
    }

    /** Frees the native tokenizer; idempotent. */
    @Override
    public void close() {
        tokenizer.close();
    }
}
