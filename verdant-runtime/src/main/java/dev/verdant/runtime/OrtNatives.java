package dev.verdant.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import dev.verdant.io.AtomicFiles;
import dev.verdant.io.CacheFolder;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The one way Verdant reaches ONNX Runtime's environment. Left to itself, ONNX Runtime's Java loader extracts its
 * native libraries into a fresh {@code /tmp/onnxruntime-java*} folder on every start and does not always remove it
 * (one 21 MB folder per killed run, an empty one per normal run). Here they are extracted once into Verdant's cache
 * folder ({@code onnxruntime/<jar>/<os-arch>}, atomically, so concurrent runs agree) and ONNX Runtime is pointed at
 * them through its documented {@code onnxruntime.native.path} property. A user who set that property, or a jar
 * without the libraries for this platform, keeps ONNX Runtime's own loading.
 */
final class OrtNatives {

    /** ONNX Runtime's property naming the folder it loads its native libraries from. */
    static final String NATIVE_PATH_PROPERTY = "onnxruntime.native.path";
    private static final List<String> LIBRARIES = List.of("onnxruntime", "onnxruntime4j_jni");

    private OrtNatives() {
    }

    /** Initialized once, on first use, by the class loader: the environment after the natives are in place. */
    private static final class Loaded {
        static final OrtEnvironment ENVIRONMENT = load();
    }

    /** ONNX Runtime's environment, its natives loaded from Verdant's cache. */
    static OrtEnvironment environment() {
        return Loaded.ENVIRONMENT;
    }

    private static OrtEnvironment load() {
        if (System.getProperty(NATIVE_PATH_PROPERTY) == null) {
            extractedFolder().ifPresent(folder -> System.setProperty(NATIVE_PATH_PROPERTY, folder.toString()));
        }
        // ONNX Runtime's own log goes to stderr in colour; every failure it logs also comes back as an OrtException
        // that Verdant reports in one line, so only a fatal error (the process is going down) may print
        return OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
    }

    /** The cache folder holding this platform's libraries, or empty when the jar has none for it. */
    static java.util.Optional<Path> extractedFolder() {
        String platform = platform();
        ClassLoader loader = OrtEnvironment.class.getClassLoader();
        URL first = loader.getResource(resource(platform, LIBRARIES.get(0)));
        if (platform.isEmpty() || first == null) {
            return java.util.Optional.empty();
        }
        // one folder per ONNX Runtime jar (its URL names its version), so an upgrade never loads stale libraries
        String jar = HexFormat.of().toHexDigits(first.toString().hashCode());
        Path folder = CacheFolder.of("onnxruntime").resolve(jar).resolve(platform);
        try {
            for (String library : LIBRARIES) {
                URL url = loader.getResource(resource(platform, library));
                if (url == null) {
                    return java.util.Optional.empty();
                }
                AtomicFiles.copyIfChanged(url, folder.resolve(System.mapLibraryName(library)));
            }
        } catch (IOException | RuntimeException e) {
            // an unwritable cache leaves ONNX Runtime to its own loading: slower to clean up, never wrong
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(folder);
    }

    private static String resource(String platform, String library) {
        return "ai/onnxruntime/native/" + platform + "/" + System.mapLibraryName(library);
    }

    /** ONNX Runtime's name for this platform's folder in its jar ({@code linux-x64}), or "" when unknown. */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String osName = os.contains("linux") ? "linux" : os.contains("mac") || os.contains("darwin") ? "osx"
                : os.contains("win") ? "win" : "";
        String archName = arch.equals("amd64") || arch.equals("x86_64") ? "x64"
                : arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : "";
        return osName.isEmpty() || archName.isEmpty() ? "" : osName + "-" + archName;
    }
}
