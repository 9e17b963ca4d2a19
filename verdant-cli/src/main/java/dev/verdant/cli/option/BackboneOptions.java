package dev.verdant.cli.option;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.io.InputFiles;
import dev.verdant.onnx.BuiltinModel;
import dev.verdant.onnx.ModelRef;
import dev.verdant.onnx.OnnxModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options of commands that reuse a pretrained model as a frozen backbone ({@code transfer}, {@code fewshot}). */
public final class BackboneOptions {

    @Option(names = "--backbone", paramLabel = "MODEL", required = true,
            description = "Pretrained ONNX model, or a built-in token encoder (minilm, minilm-int8, e5-small, e5-small-int8).")
    String backbone;

    @Option(names = "--cut", paramLabel = "NODE_OR_TENSOR",
            description = "Tensor or node to cut an image model at (default: the input of its last Gemm/MatMul"
                    + " classifier layer); token encoders are cut at their mean-pooled output.")
    String cut;

    @Mixin
    RuntimeOptions runtime = new RuntimeOptions(0);

    @Option(names = "--max-tokens", paramLabel = "T", defaultValue = "128",
            description = "Tokens kept per text for a token encoder (default ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "tokenizer.json of a token encoder (default: a built-in backbone's own; a model file needs one).")
    Path tokenizer;

    /** The backbone as given: a file or a built-in name. */
    public String backbone() {
        return backbone;
    }

    /** PyTorch and ONNX Runtime intra-op threads; 0 for the engines' own. */
    public int threads() {
        return runtime.threads();
    }

    /** Tokens kept per text for a token encoder. */
    public int maxTokens() {
        return maxTokens;
    }

    /** --tokenizer, when given. */
    public Optional<Path> tokenizer() {
        return Optional.ofNullable(tokenizer);
    }

    /** The backbone's file (a built-in name resolved), which must exist. */
    public Path modelFile() {
        Path file = BuiltinModel.resolve(backbone);
        InputFiles.requireReadable(file, "an ONNX model file");
        return file;
    }

    public ModelProto read() {
        return OnnxModels.read(modelFile());
    }

    public Optional<String> cutAt() {
        return Optional.ofNullable(cut);
    }

    /**
     * The tokenizer a token encoder reads: --tokenizer, else a built-in backbone's own (e5-small's for e5-small);
     * none for image models. A token encoder given as a file comes with its own vocabulary, which Verdant cannot
     * guess: reading it with another model's would score garbage without any error.
     *
     * @throws IllegalArgumentException naming --tokenizer, for a token encoder file given without one
     */
    public Optional<Path> tokenizerFile(boolean texts) {
        if (!texts) {
            return Optional.ofNullable(tokenizer);
        }
        return Optional.of(ModelRef.resolve(backbone, tokenizer).tokenizer().orElseThrow(() ->
                new IllegalArgumentException("--backbone " + backbone + " is a token encoder: pass its "
                        + "tokenizer.json with --tokenizer")));
    }

    /** One-line errors for out-of-range values, before any work. */
    public void validate() {
        runtime.validate();
        if (maxTokens < 2) {
            throw new IllegalArgumentException("--max-tokens must be at least 2, got " + maxTokens);
        }
        if (tokenizer != null) {
            InputFiles.requireReadable(tokenizer, "a tokenizer.json");
        }
    }
}
