package dev.verdant.bench;

import dev.verdant.onnx.BuiltinModel;
import java.nio.file.Path;

/**
 * A model to benchmark: how reports name it, its file, and its role in a side-by-side run.
 *
 * @param label what tables and reports call it (the built-in name or the path as given)
 * @param file  the ONNX file
 * @param role  {@link Role#MODEL} for the model under test, {@link Role#BASELINE} for the one it is compared with
 */
public record BenchModel(String label, Path file, Role role) {

    /** A model's part in the comparison. */
    public enum Role {
        /** The model under test. */
        MODEL,
        /** The model the ratios are taken against. */
        BASELINE
    }

    /** A model by file path or built-in name ({@code minilm}, {@code minilm-int8}). */
    public static BenchModel of(String fileOrBuiltinName, Role role) {
        return new BenchModel(fileOrBuiltinName, BuiltinModel.resolve(fileOrBuiltinName), role);
    }
}
