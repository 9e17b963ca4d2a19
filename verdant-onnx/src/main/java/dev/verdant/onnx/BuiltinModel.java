package dev.verdant.onnx;

import dev.verdant.io.AtomicFiles;
import dev.verdant.io.CacheFolder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The real models Verdant knows by name ({@code minilm}, {@code minilm-int8}, {@code e5-small},
 * {@code e5-small-int8}), so every command and API that takes a
 * model file also takes one of these names.
 *
 * <p>The models themselves are not in this jar: they come with the optional artifact
 * {@code dev.verdant:verdant-models}, whose catalog ({@value #CATALOG_RESOURCE}) names, for each model, the
 * class-path resources of the model and its tokenizer (resources of Maven Central jars, so nothing is downloaded
 * beyond the build). Without verdant-models on the class path the names still parse ({@link #byName},
 * {@link #names}), and {@link #modelFile()} and {@link #tokenizerFile()} fail with one line naming the dependency to
 * add.
 */
public enum BuiltinModel {
    /** all-MiniLM-L6-v2 sentence encoder, fp32, as exported from PyTorch. */
    MINILM("minilm", "all-MiniLM-L6-v2 fp32"),
    /** The published int8 build of the same model. */
    MINILM_INT8("minilm-int8", "all-MiniLM-L6-v2 int8"),
    /** intfloat/e5-small-v2 sentence encoder, fp32, an opset-11 export from PyTorch. */
    E5_SMALL("e5-small", "e5-small-v2 fp32"),
    /** The published int8 build of the same model. */
    E5_SMALL_INT8("e5-small-int8", "e5-small-v2 int8");

    /** The class-path resource, in verdant-models, that lists each built-in model's resources. */
    public static final String CATALOG_RESOURCE = "dev/verdant/models/builtin-models.properties";

    private final String modelName;
    private final String description;

    BuiltinModel(String modelName, String description) {
        this.modelName = modelName;
        this.description = description;
    }

    /**
     * The name users type.
     *
     * @return the name, for example {@code minilm}
     */
    public String modelName() {
        return modelName;
    }

    /**
     * Where the model comes from, for reports.
     *
     * @return the model and the artifact that holds it
     */
    public String description() {
        return description + " (dev.verdant:verdant-models)";
    }

    /**
     * The built-in model of a name.
     *
     * @param name a model name, in any case
     * @return the built-in model of that name, or empty if there is none
     */
    public static Optional<BuiltinModel> byName(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(m -> m.modelName.equals(key)).findFirst();
    }

    /**
     * The names of all built-in models, for help texts and errors.
     *
     * @return the names, comma separated
     */
    public static String names() {
        return Arrays.stream(values()).map(BuiltinModel::modelName).collect(Collectors.joining(", "));
    }

    /**
     * A built-in model's file if {@code fileOrName} names one (and no file of that name exists), else
     * {@code fileOrName} as a path.
     *
     * @param fileOrName a model file or a built-in model's name
     * @return the file to read
     * @throws ModelFormatException if it names a built-in model and verdant-models is not on the class path
     */
    public static Path resolve(String fileOrName) {
        Optional<BuiltinModel> builtin = byName(fileOrName);
        if (builtin.isPresent() && !Files.exists(Path.of(fileOrName))) {
            return builtin.get().modelFile();
        }
        return Path.of(fileOrName);
    }

    /**
     * The model as a file on disk, extracted once from its jar into Verdant's cache folder.
     *
     * @return the ONNX file
     * @throws ModelFormatException if verdant-models is not on the class path
     */
    public Path modelFile() {
        return modelFile(BuiltinModel.class.getClassLoader());
    }

    /**
     * The HuggingFace {@code tokenizer.json} that goes with the model, extracted like {@link #modelFile()}.
     *
     * @return the tokenizer file
     * @throws ModelFormatException if verdant-models is not on the class path
     */
    public Path tokenizerFile() {
        return extract(catalogResource(BuiltinModel.class.getClassLoader(), "tokenizer"));
    }

    /** {@link #modelFile()} with the resources of the class loader given. */
    Path modelFile(ClassLoader classLoader) {
        return extract(catalogResource(classLoader, "model"));
    }

    /** A resource of this model that the catalog names under {@code key} ("model" or "tokenizer"), and its URL. */
    private NamedResource catalogResource(ClassLoader classLoader, String key) {
        Properties catalog = catalog(classLoader);
        String resource = catalog.getProperty(modelName + "." + key);
        if (resource == null) {
            throw new ModelFormatException("built-in model '" + modelName + "' is not in " + CATALOG_RESOURCE
                    + " (no " + modelName + "." + key + "): use the verdant-models of the same version as verdant-onnx");
        }
        URL url = classLoader.getResource(resource);
        if (url == null) {
            throw new ModelFormatException("built-in model '" + modelName + "' is not on the class path (" + resource
                    + " missing): verdant-models needs " + catalog.getProperty(modelName + ".source", "its model jar"));
        }
        return new NamedResource(resource, url);
    }

    private Properties catalog(ClassLoader classLoader) {
        try (InputStream in = classLoader.getResourceAsStream(CATALOG_RESOURCE)) {
            if (in == null) {
                throw new ModelFormatException(missingModelsMessage());
            }
            Properties catalog = new Properties();
            catalog.load(in);
            return catalog;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + CATALOG_RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /** The one line that says which dependency brings this model. */
    String missingModelsMessage() {
        String coordinates = "dev.verdant:verdant-models:" + verdantVersion();
        return "built-in model '" + modelName + "' needs dev.verdant:verdant-models on the class path: add <dependency>"
                + coordinates + "</dependency> (or give a model file)";
    }

    /** This build's version, from the resource Maven filters, for the coordinates in errors. */
    private static String verdantVersion() {
        try (InputStream in = BuiltinModel.class.getResourceAsStream("version.properties")) {
            Properties version = new Properties();
            if (in != null) {
                version.load(in);
            }
            return version.getProperty("version", "<verdant version>");
        } catch (IOException e) {
            return "<verdant version>";
        }
    }

    /** A class-path resource by name, and where the class loader found it. */
    private record NamedResource(String name, URL url) {
    }

    private Path extract(NamedResource resource) {
        try {
            return AtomicFiles.copyIfChanged(resource.url(), CacheFolder.of("models").resolve(resource.name()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract built-in model " + modelName + ": " + e.getMessage(), e);
        }
    }
}
