package dev.verdant.inputs;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The kinds of file {@code --inputs} reads, told by the file's extension. */
public enum InputFileKind {
    /** A NumPy array: one tensor. */
    NPY,
    /** A NumPy archive: one tensor an entry. */
    NPZ,
    /** An ONNX {@code TensorProto}, as the ONNX test data holds them: one tensor. */
    TENSOR_PROTO,
    /** WAV audio, cut in frames: one sequence. */
    WAV,
    /** An image ImageIO decodes, preprocessed: one tensor. */
    IMAGE;

    /** The image extensions read (those the JDK's ImageIO decodes). */
    public static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif", "wbmp", "tif",
            "tiff");

    /** The kind of {@code file} by its extension, or empty when {@code --inputs} does not read such files. */
    public static Optional<InputFileKind> of(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1);
        return switch (extension) {
            case "npy" -> Optional.of(NPY);
            case "npz" -> Optional.of(NPZ);
            case "pb" -> Optional.of(TENSOR_PROTO);
            case "wav" -> Optional.of(WAV);
            default -> IMAGE_EXTENSIONS.contains(extension) ? Optional.of(IMAGE) : Optional.empty();
        };
    }

    /** The file name without its extension: the name a one-tensor file gives its tensor. */
    static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
