package dev.verdant.data;

import java.util.List;
import java.util.Optional;

/**
 * A dataset {@code --data} knows by name: what it holds, and whether it ships with Verdant or needs a package.
 *
 * @param name     what users pass to {@code --data}
 * @param summary  what it holds, in a few words
 * @param needs    the package that brings it, or empty when it ships with Verdant
 * @param sample   the bundled sample it is (when {@code needs} is empty) or falls back to (when the package is
 *                 missing), if any
 */
public record NamedDataset(String name, String summary, Optional<SystemData> needs, Optional<BundledSample> sample) {

    /** Every named dataset, in the order help texts list them. */
    public static final List<NamedDataset> ALL = List.of(
            new NamedDataset(Datasets.FASHION_MNIST, "60,000 + 10,000 Fashion-MNIST images, 10 classes",
                    Optional.of(SystemData.FASHION_MNIST), Optional.of(BundledSample.FASHION_MNIST_SAMPLE)),
            bundled(BundledSample.FASHION_MNIST_SAMPLE),
            new NamedDataset(Datasets.MNIST_DIGITS, "10,000 MNIST digits, 10 classes",
                    Optional.of(SystemData.MNIST_DIGITS), Optional.empty()),
            bundled(BundledSample.MNIST_DIGITS_SAMPLE),
            new NamedDataset(Datasets.WORDNET_NOUNS, "82,115 WordNet noun glosses, 26 supersenses",
                    Optional.of(SystemData.WORDNET), Optional.of(BundledSample.WORDNET_NOUNS_SAMPLE)),
            bundled(BundledSample.WORDNET_NOUNS_SAMPLE),
            new NamedDataset(Datasets.FORTUNES, "quotations by category", Optional.of(SystemData.FORTUNES),
                    Optional.empty()));

    private static NamedDataset bundled(BundledSample sample) {
        return new NamedDataset(sample.folderName(), sample.summary(), Optional.empty(), Optional.of(sample));
    }

    /** Whether it ships with Verdant (in the checkout and in the {@code verdant-data} jar). */
    public boolean shipsWithVerdant() {
        return needs.isEmpty();
    }

    /** Whether this machine has it: it ships with Verdant, or its package is installed and not hidden. */
    public boolean installed() {
        return needs.map(SystemData::installed).orElse(true);
    }

    /** What {@code --data NAME} reads on this machine, in a few words. */
    public String availability() {
        if (installed()) {
            return shipsWithVerdant() ? "ships with Verdant" : "installed";
        }
        String missing = SystemData.hidden() ? "hidden" : "not installed";
        return sample.map(s -> missing + ": reads " + s.folderName() + " instead").orElse(missing);
    }
}
