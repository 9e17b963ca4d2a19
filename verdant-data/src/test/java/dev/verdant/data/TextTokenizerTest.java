package dev.verdant.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Texts truncated with their special tokens kept, and fixed-length batches exactly as the tokenizer's own
 * pad-to-max-length encoding makes them, whatever pad id the tokenizer names.
 */
class TextTokenizerTest {

    /** A BERT WordPiece tokenizer with a ten-word vocabulary: [UNK] 0, [PAD] 1, [CLS] 2, [SEP] 3, then words. */
    private static final String TOKENIZER_JSON = """
            {"version": "1.0", "truncation": null, "padding": %s,
             "added_tokens": [
              {"id": 0, "content": "[UNK]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
              {"id": 1, "content": "[PAD]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
              {"id": 2, "content": "[CLS]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
              {"id": 3, "content": "[SEP]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}],
             "normalizer": {"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true, "strip_accents": null, "lowercase": true},
             "pre_tokenizer": {"type": "BertPreTokenizer"},
             "post_processor": {"type": "BertProcessing", "sep": ["[SEP]", 3], "cls": ["[CLS]", 2]},
             "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": true},
             "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100,
              "vocab": {"[UNK]": 0, "[PAD]": 1, "[CLS]": 2, "[SEP]": 3, "a": 4, "big": 5, "dog": 6, "the": 7, "cat": 8, "runs": 9}}}
            """;

    /** Padding as the tokenizer file names it: id 1 ([PAD]), segment 1. */
    private static final String NAMED_PADDING = """
            {"strategy": "BatchLongest", "direction": "Right", "pad_to_multiple_of": null, "pad_id": 1, "pad_type_id": 1, "pad_token": "[PAD]"}""";

    private static final List<String> SENTENCES = List.of("A big dog", "the cat runs", "the big big dog runs the cat",
            "dog");

    @TempDir
    Path folder;

    private Path tokenizerFile(String padding) throws IOException {
        return Files.writeString(folder.resolve("tokenizer-" + padding.hashCode() + ".json"),
                TOKENIZER_JSON.formatted(padding));
    }

    @Test
    void truncatesToMaxTokensKeepingTheSpecialTokensAndTheLabels() throws IOException {
        TextDataset texts = new TextDataset("t", SENTENCES, new int[] {0, 1, 1, 0}, List.of("x", "y"));
        try (TextTokenizer tokenizer = TextTokenizer.load(tokenizerFile("null"), 6)) {
            TokenizedTexts tokens = tokenizer.tokenize(texts);
            assertThat(tokens.inputIds().get(0)).containsExactly(2, 4, 5, 6, 3);
            assertThat(tokens.inputIds().get(2)).containsExactly(2, 7, 5, 5, 6, 3); // cut at 6, [SEP] kept
            assertThat(tokens.tokenTypeIds().get(2)).containsExactly(0, 0, 0, 0, 0, 0);
            assertThat(tokens.labels()).containsExactly(0, 1, 1, 0);
            assertThat(tokens.classNames()).containsExactly("x", "y");
            assertThat(tokenizer.tokenize("plain", SENTENCES.subList(0, 2)).labels()).containsExactly(0, 0);
            assertThat(tokenizer.tokenize("none", List.of()).size()).isZero();
        }
    }

    @Test
    void fixedLengthBatchesAreWhatTheTokenizersOwnPaddingMakes() throws IOException {
        for (String padding : List.of("null", NAMED_PADDING)) {
            Path file = tokenizerFile(padding);
            List<TokenBatch> ours = new ArrayList<>();
            try (TextTokenizer tokenizer = TextTokenizer.load(file, 6)) {
                tokenizer.tokenize("s", SENTENCES).batches(3, tokenizer.fixedPadding()).forEach(ours::add);
            }
            assertThat(ours).hasSize(2);
            try (HuggingFaceTokenizer padded = HuggingFaceTokenizer.builder().optTokenizerPath(file).optMaxLength(6)
                    .optTruncation(true).optPadToMaxLength().build()) {
                Encoding[] expected = padded.batchEncode(SENTENCES);
                for (int i = 0; i < expected.length; i++) {
                    TokenBatch batch = ours.get(i / 3);
                    int row = i % 3;
                    assertThat(row(batch.inputIds(), row)).as(padding).containsExactly(expected[i].getIds());
                    assertThat(row(batch.attentionMask(), row)).containsExactly(expected[i].getAttentionMask());
                    assertThat(row(batch.tokenTypeIds(), row)).containsExactly(expected[i].getTypeIds());
                }
            }
        }
        assertThat(paddedDog(NAMED_PADDING).inputIds()).containsExactly(2, 6, 3, 1, 1, 1); // [PAD] is 1 here
    }

    private TokenBatch paddedDog(String padding) throws IOException {
        try (TextTokenizer tokenizer = TextTokenizer.load(tokenizerFile(padding), 6)) {
            return tokenizer.tokenize("s", List.of("dog")).batch(0, 1, tokenizer.fixedPadding());
        }
    }

    private static long[] row(long[] values, int row) {
        return Arrays.copyOfRange(values, row * 6, row * 6 + 6);
    }

    @Test
    void badInputIsRefusedWithOneLine() throws IOException {
        Path file = tokenizerFile("null");
        assertThatThrownBy(() -> TextTokenizer.load(file, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TextTokenizer.load(folder.resolve("missing.json"), 8))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("missing.json");
        TextTokenizer closed = TextTokenizer.load(file, 8);
        closed.close();
        closed.close();
        assertThatThrownBy(() -> closed.tokenize("s", SENTENCES)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aTokenizerTheNativeLibraryWouldAbortOnIsRefusedWithOneLineNamingTheFile() throws IOException {
        String good = TOKENIZER_JSON.formatted("null");
        java.util.Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("no-unk", good.replace("\"vocab\": {\"[UNK]\": 0, ", "\"vocab\": {"));
        bad.put("no-unk-named", good.replace("\"unk_token\": \"[UNK]\", ", "").replace("\"[UNK]\": 0, ", ""));
        bad.put("empty-vocab", good.replaceAll("\"vocab\": \\{[^}]*}", "\"vocab\": {}"));
        bad.put("unknown-type", good.replace("\"type\": \"WordPiece\", \"unk_token\"", "\"type\": \"Foo\", \"unk_token\""));
        bad.put("object", "{}");
        bad.put("array", "[]");
        bad.put("truncated", good.substring(0, good.length() / 2));
        java.util.Map<String, String> reasons = java.util.Map.of("no-unk", "which its vocabulary does not hold",
                "no-unk-named", "names no unk_token (so '[UNK]')", "empty-vocab", "empty or missing WordPiece vocabulary",
                "unknown-type", "has model type 'Foo'", "object", "has no \"model\" object",
                "array", "has no \"model\" object", "truncated", "is not valid JSON");
        for (var entry : bad.entrySet()) {
            Path file = Files.writeString(folder.resolve(entry.getKey() + ".json"), entry.getValue());
            assertThatThrownBy(() -> TextTokenizer.load(file, 8)).as(entry.getKey())
                    .isInstanceOf(DataFormatException.class)
                    .hasMessageStartingWith("tokenizer " + file + " ")
                    .hasMessageContaining(reasons.get(entry.getKey())).hasMessageNotContaining("\n");
        }
        try (TextTokenizer tokenizer = TextTokenizer.load(tokenizerFile("null"), 8)) {
            assertThat(tokenizer.tokenize("t", List.of("a zebra")).size()).isEqualTo(1);
        }
    }
}
