package dev.verdant.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A folder of MNIST-style IDX files, found by their usual names: {@code train-images-idx3-ubyte},
 * {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte} (each with or
 * without {@code .gz}; {@code .idx3-ubyte} with a dot and {@code test-} for {@code t10k-} are accepted too). A folder
 * may hold only one of the two parts.
 *
 * @param name         a short name for reports, for example {@code fashion-mnist}
 * @param folder       the folder holding the files
 * @param classNames   the class names, indexed by label
 * @param fallbackNote a note on how the folder was chosen, or empty
 */
public record IdxSource(String name, Path folder, List<String> classNames, String fallbackNote)
        implements DataSource<ImageDataset> {

    /** The file in a folder that names the classes, one a line in label order, when they are not digits. */
    public static final String CLASSES_FILE = "classes.txt";

    public IdxSource {
        classNames = List.copyOf(classNames);
    }

    /**
     * The IDX folder with class names chosen from the folder: {@value #CLASSES_FILE} when present, else
     * Fashion-MNIST's names when the folder's name contains {@code fashion}, else the digits 0 to 9.
     */
    public static IdxSource of(String name, Path folder, String fallbackNote) {
        return new IdxSource(name, folder, classNamesFor(folder), fallbackNote);
    }

    /** Whether {@code folder} holds at least one image file and its label file. */
    public static boolean isIdxFolder(Path folder) {
        return Files.isDirectory(folder) && !new IdxSource("", folder, List.of(), "").parts().isEmpty();
    }

    @Override
    public String description() {
        return "IDX images in " + folder + " (" + parts().stream().sorted().map(Part::label)
                .collect(Collectors.joining(", ")) + "; " + classNames.size() + " classes)";
    }

    @Override
    public Optional<String> note() {
        return fallbackNote.isBlank() ? Optional.empty() : Optional.of(fallbackNote);
    }

    @Override
    public Set<Part> parts() {
        Set<Part> parts = EnumSet.noneOf(Part.class);
        for (Part part : Part.values()) {
            if (imagesFile(part).isPresent() && labelsFile(part).isPresent()) {
                parts.add(part);
            }
        }
        return parts;
    }

    /** The image and label files of each part it has, train before test. */
    @Override
    public List<Path> files() {
        List<Path> files = new ArrayList<>();
        for (Part part : parts()) {
            files.add(imagesFile(part).orElseThrow());
            files.add(labelsFile(part).orElseThrow());
        }
        return files;
    }

    @Override
    public ImageDataset load(Part part) {
        return load(part, Integer.MAX_VALUE);
    }

    /** The first {@code limit} images of one part (all of them with {@link Integer#MAX_VALUE}). */
    public ImageDataset load(Part part, int limit) {
        Path images = imagesFile(part).orElse(null);
        Path labels = labelsFile(part).orElse(null);
        if (images == null || labels == null) {
            String has = parts().stream().sorted().map(Part::label).collect(Collectors.joining(", "));
            throw new DataFormatException(name + " has no " + part.label() + " part: " + folder + " holds no "
                    + (images == null ? "images" : "labels") + " file for it (it has: " + (has.isEmpty() ? "none" : has)
                    + ")");
        }
        return IdxReader.readImages(name + "/" + part.label(), images, labels, classNames, limit);
    }

    @Override
    public ImageDataset loadAll() {
        Set<Part> parts = parts();
        if (parts.isEmpty()) {
            throw new DataFormatException(folder + " holds no IDX image and label files (expected names like "
                    + "train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz)");
        }
        if (parts.size() == 1) {
            return load(parts.iterator().next()).withName(name);
        }
        return ImageDataset.concat(name, load(Part.TRAIN), load(Part.TEST));
    }

    /** The image file of one part, under any of its usual names. */
    public Optional<Path> imagesFile(Part part) {
        return file(part, "images", 3);
    }

    /** The label file of one part, under any of its usual names. */
    public Optional<Path> labelsFile(Part part) {
        return file(part, "labels", 1);
    }

    private Optional<Path> file(Part part, String kind, int rank) {
        List<String> prefixes = part == Part.TRAIN ? List.of("train") : List.of("t10k", "test");
        for (String prefix : prefixes) {
            for (String separator : List.of("-", ".")) {
                for (String suffix : List.of("", ".gz")) {
                    Path candidate = folder.resolve(prefix + "-" + kind + separator + "idx" + rank + "-ubyte" + suffix);
                    if (Files.isRegularFile(candidate)) {
                        return Optional.of(candidate);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static List<String> classNamesFor(Path folder) {
        Path classesFile = folder.resolve(CLASSES_FILE);
        if (Files.isRegularFile(classesFile)) {
            try {
                List<String> names = Files.readAllLines(classesFile).stream().map(String::strip)
                        .filter(line -> !line.isEmpty()).toList();
                if (names.isEmpty()) {
                    throw new DataFormatException(classesFile + " is empty; it should name one class a line");
                }
                return names;
            } catch (IOException e) {
                throw DataFiles.failure(classesFile, e);
            }
        }
        Path folderName = folder.toAbsolutePath().normalize().getFileName();
        boolean fashion = folderName != null && folderName.toString().toLowerCase(Locale.ROOT).contains("fashion");
        return fashion ? ImageDataset.FASHION_MNIST_CLASSES : ImageDataset.DIGIT_CLASSES;
    }
}
