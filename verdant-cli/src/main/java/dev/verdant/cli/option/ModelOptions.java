package dev.verdant.cli.option;

import dev.verdant.onnx.BuiltinModel;
import dev.verdant.onnx.ModelRef;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import picocli.CommandLine.Parameters;

/** The model a command works on, given first: an ONNX file or the name of a built-in model. */
public final class ModelOptions {

    @Parameters(index = "0", paramLabel = "MODEL", description = "An ONNX file, or a built-in model: ${COMPLETION-CANDIDATES}",
            completionCandidates = BuiltinNames.class)
    String model;

    /** The model as given: a file or a built-in name. */
    public String name() {
        return model;
    }

    /**
     * The model resolved once for the whole run: its file and the tokenizer it is read with.
     *
     * @param tokenizer {@code --tokenizer} as given, or null for a built-in model's own
     */
    public ModelRef resolve(Path tokenizer) {
        return ModelRef.resolve(model, tokenizer);
    }

    /** The model's file, a built-in name resolved to the file its model jar brings. */
    public Path file() {
        return BuiltinModel.resolve(model);
    }

    /** Completion candidates and help text: the built-in model names. */
    public static final class BuiltinNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(BuiltinModel.values()).map(BuiltinModel::modelName).iterator();
        }
    }
}
