package dev.verdant.cli.option;

import picocli.CommandLine.Option;

/**
 * How many intra-op threads the engines a command runs (PyTorch, ONNX Runtime) may use; each command says its
 * default, and words {@code --threads} its own way under {@code verdant.COMMAND.threads} in
 * {@code OptionDescriptions.properties} where the engines' own default is not what it means.
 */
public final class RuntimeOptions {

    @Option(names = "--threads", paramLabel = "N", descriptionKey = "threads",
            description = "PyTorch and ONNX Runtime intra-op threads (default: the engines' own).")
    int threads;

    /** The options with {@code defaultThreads} as the default of {@code --threads} (0: the engines' own). */
    public RuntimeOptions(int defaultThreads) {
        this.threads = defaultThreads;
    }

    /** Intra-op threads; 0 for the engines' own choice. */
    public int threads() {
        return threads;
    }

    /** A one-line error for a negative count, before any work. */
    public void validate() {
        if (threads < 0) {
            throw new IllegalArgumentException("--threads cannot be negative, got " + threads);
        }
    }
}
