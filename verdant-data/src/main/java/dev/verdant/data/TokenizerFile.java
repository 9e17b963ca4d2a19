package dev.verdant.data;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.verdant.io.InputFiles;
import dev.verdant.io.Json;
import dev.verdant.io.MessageText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Checks a HuggingFace {@code tokenizer.json} before the native tokenizers library sees it: that library panics and
 * aborts the JVM on some files it accepts (a WordPiece model without its unknown token stops the process at the
 * first unknown character), so every tokenizer Verdant loads is first read here as JSON and its model checked: a
 * known model type, a non-empty vocabulary, and the unknown token the model type needs present in it. A file that
 * fails gets one line naming it.
 */
final class TokenizerFile {

    /** The model types of the tokenizers library. */
    static final List<String> MODEL_TYPES = List.of("WordPiece", "BPE", "Unigram", "WordLevel");

    private TokenizerFile() {
    }

    /**
     * Reads and checks {@code file}.
     *
     * @return the file's JSON, for settings read beside the native tokenizer (its padding)
     * @throws DataFormatException with one line naming the file and what is wrong
     */
    static JsonNode read(Path file) {
        InputFiles.problem(file, "a tokenizer.json").ifPresent(why -> {
            throw new DataFormatException("tokenizer: " + why);
        });
        JsonNode root;
        try {
            root = Json.mapper().readTree(file.toFile());
        } catch (JacksonException e) {
            throw bad(file, "is not valid JSON (" + e.getOriginalMessage().lines().findFirst().orElse("") + ", line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tokenizer " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject() || !root.path("model").isObject()) {
            throw bad(file, "has no \"model\" object: not a HuggingFace tokenizer.json");
        }
        checkModel(file, root.path("model"));
        return root;
    }

    private static void checkModel(Path file, JsonNode model) {
        String type = model.path("type").asText("");
        if (!MODEL_TYPES.contains(type)) {
            throw bad(file, type.isEmpty() ? "names no model type; supported: " + String.join(", ", MODEL_TYPES)
                    : "has model type " + MessageText.quote(type) + "; supported: " + String.join(", ", MODEL_TYPES));
        }
        JsonNode vocab = model.path("vocab");
        boolean unigram = type.equals("Unigram");
        if (unigram ? !vocab.isArray() || vocab.isEmpty() : !vocab.isObject() || vocab.isEmpty()) {
            throw bad(file, "has an empty or missing " + type + " vocabulary");
        }
        if (unigram) {
            JsonNode unkId = model.path("unk_id");
            if (!unkId.isMissingNode() && !unkId.isNull() && (!unkId.canConvertToInt() || unkId.asInt() < 0
                    || unkId.asInt() >= vocab.size())) {
                throw bad(file, "has unk_id " + unkId + " outside its vocabulary of " + vocab.size());
            }
            return;
        }
        // WordPiece falls back to [UNK] when the file names none, and panics when its vocabulary lacks it
        JsonNode unkNode = model.path("unk_token");
        String unk = unkNode.isTextual() ? unkNode.asText() : type.equals("WordPiece") ? "[UNK]" : null;
        if (unk != null && !vocab.has(unk)) {
            throw bad(file, (unkNode.isTextual() ? "names unk_token " + MessageText.quote(unk)
                    : "names no unk_token (so '[UNK]')")
                    + ", which its vocabulary does not hold; the " + type.toLowerCase(Locale.ROOT) + " tokenizer "
                    + "would abort on the first unknown character");
        }
    }

    private static DataFormatException bad(Path file, String why) {
        return new DataFormatException("tokenizer " + file + " " + why);
    }
}
