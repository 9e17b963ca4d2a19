package dev.verdant.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A dataset found on disk but not yet read: what {@link Datasets#resolve(String)} returns for a {@code --data} value.
 * Loading reads the files every time (nothing is cached), so a source is a plain value that is cheap to pass around.
 *
 * @param <D> the kind of dataset it loads
 */
public sealed interface DataSource<D extends Dataset<D>>
        permits IdxSource, DigitsJsonSource, CsvSource, LabelledTextSource, WordNetSource, FortunesSource {

    /** A short name for reports, for example {@code fashion-mnist} or {@code iris.csv}. */
    String name();

    /** One line saying what and where it is, for logs and reports. */
    String description();

    /** Something the user should know about how the name was resolved (for example a fallback to a sample). */
    default Optional<String> note() {
        return Optional.empty();
    }

    /** The files it reads, in a fixed order. */
    List<Path> files();

    /**
     * A SHA-256 over the names and bytes of {@link #files()}, as 64 hex digits: what a trained model's provenance
     * records, so it says exactly which data it saw.
     */
    default String sha256() {
        return DataFiles.sha256(files());
    }

    /** The predefined parts it has; empty when it comes as one set (then use {@link #trainTest}). */
    default Set<Part> parts() {
        return Set.of();
    }

    /** Everything it holds, all parts together. */
    D loadAll();

    /** One predefined part. */
    default D load(Part part) {
        throw new DataFormatException(name() + " has no predefined " + part.label() + " part (" + partsText()
                + "); split it with a seed instead");
    }

    /**
     * The fraction of a data set without predefined parts that training, retraining and the compress check hold out
     * (stratified, by seed), the same everywhere so that a model trained by one command is checked by another on
     * examples it never trained on.
     */
    double DEFAULT_HELD_OUT_FRACTION = 0.2;

    /**
     * A training part and a held-out part: the predefined train and test parts when it has both, otherwise a
     * stratified split of everything it holds, with {@code heldOutFraction} of each class held out, chosen by
     * {@code seed}.
     */
    default Split<D> trainTest(double heldOutFraction, long seed) {
        if (parts().containsAll(Set.of(Part.TRAIN, Part.TEST))) {
            return new Split<>(load(Part.TRAIN), load(Part.TEST));
        }
        return loadAll().stratifiedSplit(1 - heldOutFraction, seed);
    }

    private String partsText() {
        return parts().isEmpty() ? "it comes as one set"
                : "it has: " + parts().stream().sorted().map(Part::label).collect(Collectors.joining(", "));
    }
}
