package dev.verdant.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.io.InputFiles;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A model as one run uses it, resolved once from what the user typed: the name as given (for reports and
 * provenance), the ONNX file (a built-in name becomes the file its model jar brings), and the tokenizer a text
 * encoder is read with (the one given, else the one a built-in model brings). Every step of a run takes this
 * instead of resolving the name again.
 *
 * @param name      the model as given: a file or a built-in name such as {@code minilm}
 * @param file      the ONNX file to read
 * @param tokenizer the HuggingFace {@code tokenizer.json} to read text with, if there is one
 */
public record ModelRef(String name, Path file, Optional<Path> tokenizer) {

    public ModelRef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(file, "file");
        tokenizer = tokenizer == null ? Optional.empty() : tokenizer;
    }

    /**
     * Resolves a model file or built-in name, with its tokenizer.
     *
     * @param fileOrBuiltinName a model file, or a built-in model's name (a file of that name wins)
     * @param tokenizer         a {@code tokenizer.json} given by the user, or null for the built-in model's own
     * @throws ModelFormatException with one line when the model is neither an existing file nor a built-in name,
     *                              or the tokenizer given is not a file
     */
    public static ModelRef resolve(String fileOrBuiltinName, Path tokenizer) {
        Objects.requireNonNull(fileOrBuiltinName, "model");
        // a link counts as there even when it leads nowhere: reading it names the loop or the missing target
        boolean exists = Files.exists(Path.of(fileOrBuiltinName), LinkOption.NOFOLLOW_LINKS);
        Optional<BuiltinModel> builtin = BuiltinModel.byName(fileOrBuiltinName).filter(b -> !exists);
        if (builtin.isEmpty() && !exists) {
            throw new ModelFormatException("no such model file: " + fileOrBuiltinName + " (built-in models: "
                    + BuiltinModel.names() + ")");
        }
        if (tokenizer != null) {
            InputFiles.problem(tokenizer, "a tokenizer.json").ifPresent(why -> {
                throw new ModelFormatException("--tokenizer: " + why);
            });
        }
        Path file = builtin.map(BuiltinModel::modelFile).orElse(Path.of(fileOrBuiltinName));
        Optional<Path> tokenizerFile = tokenizer != null ? Optional.of(tokenizer)
                : builtin.map(BuiltinModel::tokenizerFile);
        return new ModelRef(fileOrBuiltinName, file, tokenizerFile);
    }

    /** A model file with no tokenizer, named by its path. */
    public static ModelRef ofFile(Path file) {
        return new ModelRef(file.toString(), file, Optional.empty());
    }

    /**
     * Reads and validates the model.
     *
     * @throws ModelFormatException with one line when the file is not a readable ONNX model
     */
    public ModelProto read() {
        return OnnxModels.read(file);
    }

    /**
     * The tokenizer, for a model that reads text.
     *
     * @throws IllegalArgumentException with one line naming {@code --tokenizer} when there is none
     */
    public Path requireTokenizer() {
        return tokenizer.orElseThrow(() -> new IllegalArgumentException("the model is a text encoder: pass its "
                + "tokenizer.json with --tokenizer"));
    }
}
