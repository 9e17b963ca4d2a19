package dev.verdant.cli.option;

import dev.verdant.data.BatchPadding;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The real inputs a model is calibrated and checked on, as {@code compress} and {@code optimize} take them: the
 * data, the tokenizer of a text encoder, how many examples calibrate and how many check, and the padded length of
 * a text. Each command words {@code --data}, {@code --calibration}, {@code --check} and {@code --sequence-length}
 * for its own job (keys {@code verdant.COMMAND.KEY} in {@code OptionDescriptions.properties}) and says how many
 * examples it checks by default.
 */
public final class DataOptions {

    @Option(names = "--data", paramLabel = "DATA", descriptionKey = "data", description = "Real inputs to calibrate "
            + "and check on: a dataset name (wordnet-nouns, fortunes, fashion-mnist, ...) or a path.")
    String data;

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "The tokenizer.json of a text encoder given as a file (built-in models bring theirs).")
    Path tokenizer;

    @Option(names = "--calibration", paramLabel = "N", defaultValue = "64", descriptionKey = "calibration",
            description = "Examples to calibrate on (default: ${DEFAULT-VALUE}).")
    int calibration;

    @Option(names = "--check", paramLabel = "N", descriptionKey = "check",
            description = "Examples to check on (default: ${DEFAULT-VALUE}).")
    Integer check;

    @Option(names = "--sequence-length", paramLabel = "N", defaultValue = "128", descriptionKey = "sequence-length",
            description = "Tokens a text example is truncated to (default: ${DEFAULT-VALUE}).")
    int sequenceLength;

    @Option(names = "--padding", paramLabel = "longest|max", defaultValue = "longest", descriptionKey = "padding",
            description = "How batches of text are padded: longest (each batch to its longest text, as users' "
                    + "batches are) or max (every batch to --sequence-length tokens); default ${DEFAULT-VALUE}.")
    String padding;

    /**
     * The options with {@code checkExamples} as the default of {@code --check}, or null where the command chooses
     * how many by the data (and its help says how).
     */
    public DataOptions(Integer checkExamples) {
        this.check = checkExamples;
    }

    /** --data as given, or null for the command's default. */
    public String data() {
        return data;
    }

    /** --tokenizer, or null when the model brings its own. */
    public Path tokenizer() {
        return tokenizer;
    }

    /** Examples to calibrate on. */
    public int calibration() {
        return calibration;
    }

    /** Examples to check on, after the calibration ones; null when not given and the command chooses by the data. */
    public Integer check() {
        return check;
    }

    /** Tokens a text example is truncated to, and padded to with {@link BatchPadding#MAX}. */
    public int sequenceLength() {
        return sequenceLength;
    }

    /**
     * How batches of text are padded.
     *
     * @throws IllegalArgumentException with one line for a value other than {@code longest} or {@code max}
     */
    public BatchPadding padding() {
        return BatchPadding.parse(padding);
    }
}
