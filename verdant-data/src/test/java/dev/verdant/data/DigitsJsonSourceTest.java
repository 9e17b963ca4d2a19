package dev.verdant.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigitsJsonSourceTest {

    @TempDir
    Path temp;

    @Test
    void committedSampleHasTwentyImagesOfEachDigit() {
        DataSource<ImageDataset> source = Datasets.resolveImages("mnist-digits-sample");
        ImageDataset digits = source.loadAll();

        assertThat(source.parts()).isEmpty();
        assertThat(digits.size()).isEqualTo(200);
        assertThat(digits.classNames()).isEqualTo(ImageDataset.DIGIT_CLASSES);
        assertThat(digits.classHistogram()).containsOnly(20);
        assertThat(digits.sampleShape()).containsExactly(1, 28, 28);
        assertThat(digits.label(0)).isZero();
        assertThat(digits.label(199)).isEqualTo(9);
    }

    @Test
    void pixelsAreTheJsonNumbersInFileOrder() throws IOException {
        Path folder = DataLocations.system().sample("mnist-digits-sample").orElseThrow();
        ImageDataset digits = Datasets.resolveImages("mnist-digits-sample").loadAll();
        for (int digit : new int[] {0, 7}) {
            JsonNode data = new ObjectMapper().readTree(folder.resolve(digit + ".json").toFile()).get("data");
            assertThat(data.size()).isEqualTo(20 * 784);
            float[] image = digits.image(digit * 20 + 3);
            for (int p = 0; p < 784; p++) {
                assertThat(image[p]).isEqualTo((float) data.get(3 * 784 + p).asDouble());
            }
        }
    }

    @Test
    void fullNpmPackageHoldsTenThousandDigits() {
        SystemDataAssumptions.assumeInstalled(SystemData.MNIST_DIGITS);
        ImageDataset digits = Datasets.resolveImages("mnist-digits").loadAll();

        assertThat(digits.size()).isEqualTo(10_000);
        // per-digit counts of the package's src/digits/*.json
        assertThat(digits.classHistogram()).containsExactly(1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978);
        // the committed sample is the head of each digit's file
        ImageDataset sample = Datasets.resolveImages("mnist-digits-sample").loadAll();
        assertThat(digits.image(1001 + 5)).containsExactly(sample.image(20 + 5));
    }

    @Test
    void packageRootAndItsParentAreAccepted() throws IOException {
        Path sample = DataLocations.system().sample("mnist-digits-sample").orElseThrow();
        Path digits = Files.createDirectories(temp.resolve("package/src/digits"));
        for (int d = 0; d < 10; d++) {
            Files.copy(sample.resolve(d + ".json"), digits.resolve(d + ".json"));
        }
        assertThat(((DigitsJsonSource) Datasets.resolve(temp.resolve("package").toString())).folder()).isEqualTo(digits);
        assertThat(((DigitsJsonSource) Datasets.resolve(temp.toString())).folder()).isEqualTo(digits);
    }

    @Test
    void malformedFilesAreReportedByNameAndReason() throws IOException {
        Path sample = DataLocations.system().sample("mnist-digits-sample").orElseThrow();
        for (int d = 0; d < 10; d++) {
            Files.copy(sample.resolve(d + ".json"), temp.resolve(d + ".json"));
        }
        DigitsJsonSource source = new DigitsJsonSource("broken", temp);

        Files.writeString(temp.resolve("3.json"), "{\"data\":[0,0.5,1]}");
        assertThatThrownBy(source::loadAll).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("3.json is not an MNIST digits file")
                .hasMessageContaining("holds 3 numbers, not a positive multiple of 784");

        Files.writeString(temp.resolve("3.json"), "{\"data\":[0,1.5]}");
        assertThatThrownBy(source::loadAll).hasMessageContaining("value 1 of \"data\" is 1.5, outside [0, 1]");

        Files.writeString(temp.resolve("3.json"), "{\"data\":[0,\"x\"]}");
        assertThatThrownBy(source::loadAll).hasMessageContaining("value 1 of \"data\" is x, not a number");

        Files.writeString(temp.resolve("3.json"), "{\"pixels\":[]}");
        assertThatThrownBy(source::loadAll).hasMessageContaining("has no \"data\" array");

        String whole = Files.readString(sample.resolve("3.json"));
        Files.writeString(temp.resolve("3.json"), whole.substring(0, whole.length() / 2));
        assertThatThrownBy(source::loadAll).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("cannot read " + temp.resolve("3.json") + " as JSON at line 1")
                .hasMessageNotContaining("\n");
    }
}
