package dev.verdant.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    @TempDir
    Path temp;

    @Test
    void committedSampleHoldsTheFirstThousandTestImages() {
        DataSource<ImageDataset> source = Datasets.resolveImages("fashion-mnist-sample");
        assertThat(source.parts()).containsExactly(Part.TEST);
        ImageDataset test = source.load(Part.TEST);

        assertThat(test.size()).isEqualTo(1000);
        assertThat(test.sampleShape()).containsExactly(1, 28, 28);
        assertThat(test.classNames()).isEqualTo(ImageDataset.FASHION_MNIST_CLASSES);
        // The test set opens with an ankle boot, a pullover, two trousers and a shirt.
        assertThat(Arrays.copyOf(test.labels(), 5)).containsExactly(9, 2, 1, 1, 6);
        assertThat(test.classNames().get(test.label(0))).isEqualTo("Ankle boot");
        assertThat(Arrays.stream(test.classHistogram()).sum()).isEqualTo(1000);
        assertThat(Arrays.stream(test.classHistogram()).boxed()).allSatisfy(count -> assertThat(count).isBetween(50, 150));
    }

    @Test
    void pixelsAreTheFileBytesScaledToUnitRange() throws IOException {
        Path images = sampleFile("t10k-images-idx3-ubyte.gz");
        byte[] raw = gunzip(images);
        ImageDataset test = Datasets.resolveImages("fashion-mnist-sample").load(Part.TEST);

        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (int i = 0; i < test.pixels().length; i++) {
            float expected = (raw[16 + i] & 0xFF) / 255f;
            if (test.pixels()[i] != expected) {
                throw new AssertionError("pixel " + i + " is " + test.pixels()[i] + ", expected " + expected);
            }
            min = Math.min(min, test.pixels()[i]);
            max = Math.max(max, test.pixels()[i]);
        }
        assertThat(min).isEqualTo(0f);
        assertThat(max).isEqualTo(1f);
    }

    @Test
    void readsUncompressedFilesTheSameAsGzipped() throws IOException {
        // "fashion" in the folder name gives Fashion-MNIST's class names, as the sample has.
        Path folder = Files.createDirectory(temp.resolve("fashion-plain"));
        Files.write(folder.resolve("t10k-images-idx3-ubyte"), gunzip(sampleFile("t10k-images-idx3-ubyte.gz")));
        Files.write(folder.resolve("t10k-labels-idx1-ubyte"), gunzip(sampleFile("t10k-labels-idx1-ubyte.gz")));

        ImageDataset plain = IdxSource.of("plain", folder, "").load(Part.TEST);
        ImageDataset gzipped = Datasets.resolveImages("fashion-mnist-sample").load(Part.TEST);

        assertThat(plain.withName("x")).isEqualTo(gzipped.withName("x"));
        assertThat(IdxSource.of("digits", temp, "").classNames()).isEqualTo(ImageDataset.DIGIT_CLASSES);
    }

    @Test
    void limitReadsOnlyTheFirstItems() {
        IdxArray labels = IdxReader.read(sampleFile("t10k-labels-idx1-ubyte.gz"), 3);
        assertThat(labels.dims()).containsExactly(3);
        assertThat(new int[] {labels.unsigned(0), labels.unsigned(1), labels.unsigned(2)}).containsExactly(9, 2, 1);

        IdxSource sample = (IdxSource) Datasets.resolve("fashion-mnist-sample");
        ImageDataset first = sample.load(Part.TEST, 10);
        assertThat(first.size()).isEqualTo(10);
        assertThat(first.withName("x")).isEqualTo(sample.load(Part.TEST).subset(10).withName("x"));
    }

    @Test
    void realFashionMnistHasSixtyThousandTrainingAndTenThousandTestImages() {
        SystemDataAssumptions.assumeInstalled(SystemData.FASHION_MNIST);
        DataSource<ImageDataset> source = Datasets.resolveImages("fashion-mnist");
        assertThat(source.note()).isEmpty();
        assertThat(source.parts()).containsExactlyInAnyOrder(Part.TRAIN, Part.TEST);

        ImageDataset train = source.load(Part.TRAIN);
        ImageDataset test = source.load(Part.TEST);

        assertThat(train.size()).isEqualTo(60_000);
        assertThat(test.size()).isEqualTo(10_000);
        assertThat(train.pixels()).hasSize(60_000 * 784);
        assertThat(train.classHistogram()).containsOnly(6_000);
        assertThat(test.classHistogram()).containsOnly(1_000);
        // The committed sample is the head of the real test set.
        ImageDataset sample = Datasets.resolveImages("fashion-mnist-sample").load(Part.TEST);
        assertThat(test.subset(1000).withName("x")).isEqualTo(sample.withName("x"));
    }

    @Test
    void labelFileGivenAsImagesIsRejectedByItsMagic() throws IOException {
        Path folder = Files.createDirectory(temp.resolve("swapped"));
        Files.copy(sampleFile("t10k-labels-idx1-ubyte.gz"), folder.resolve("t10k-images-idx3-ubyte.gz"));
        Files.copy(sampleFile("t10k-labels-idx1-ubyte.gz"), folder.resolve("t10k-labels-idx1-ubyte.gz"));

        assertThatThrownBy(() -> IdxSource.of("swapped", folder, "").load(Part.TEST))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("t10k-images-idx3-ubyte.gz is not an IDX image file")
                .hasMessageContaining("magic 0x00000801")
                .hasMessageContaining("0x00000803");
    }

    @Test
    void fileThatIsNotIdxIsRejected() throws IOException {
        Path png = temp.resolve("picture.idx");
        Files.write(png, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        assertThatThrownBy(() -> IdxReader.read(png))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("is not an IDX file")
                .hasMessageContaining("0x89504E47");
    }

    @Test
    void unsupportedElementTypeIsNamed() throws IOException {
        Path floats = temp.resolve("floats.idx");
        Files.write(floats, ByteBuffer.allocate(12).putInt(0x00000D01).putInt(1).putFloat(0.5f).array());
        assertThatThrownBy(() -> IdxReader.read(floats))
                .hasMessageContaining("type 0x0D (float)")
                .hasMessageContaining("only unsigned bytes");
    }

    @Test
    void truncatedDataIsReportedWithTheDeclaredSize() throws IOException {
        byte[] images = gunzip(sampleFile("t10k-images-idx3-ubyte.gz"));
        Path cut = temp.resolve("cut-images-idx3-ubyte");
        Files.write(cut, Arrays.copyOf(images, 16 + 500 * 784 + 100));

        assertThatThrownBy(() -> IdxReader.read(cut))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("is truncated")
                .hasMessageContaining("1000 items of 784 bytes")
                .hasMessageContaining("ends after " + (500 * 784 + 100) + " bytes");
        // The first 500 images are complete, so a limited read still works.
        assertThat(IdxReader.read(cut, 500).count()).isEqualTo(500);
    }

    @Test
    void truncatedHeaderIsReported() throws IOException {
        Path cut = temp.resolve("header-only");
        Files.write(cut, new byte[] {0, 0, 8, 3, 0, 0, 3});
        assertThatThrownBy(() -> IdxReader.read(cut)).hasMessageContaining("ends inside the IDX header");
    }

    @Test
    void truncatedGzipStreamIsReported() throws IOException {
        byte[] gz = Files.readAllBytes(sampleFile("t10k-images-idx3-ubyte.gz"));
        Path cut = temp.resolve("cut.gz");
        Files.write(cut, Arrays.copyOf(gz, gz.length / 2));
        assertThatThrownBy(() -> IdxReader.read(cut))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void bytesAfterTheDataAreRejected() throws IOException {
        byte[] labels = gunzip(sampleFile("t10k-labels-idx1-ubyte.gz"));
        Path longer = temp.resolve("longer");
        Files.write(longer, Arrays.copyOf(labels, labels.length + 7));
        assertThatThrownBy(() -> IdxReader.read(longer)).hasMessageContaining("has 7 bytes after the 1000 items");
    }

    @Test
    void imageAndLabelCountsMustMatch() throws IOException {
        Path folder = Files.createDirectory(temp.resolve("mismatch"));
        Files.copy(sampleFile("t10k-images-idx3-ubyte.gz"), folder.resolve("t10k-images-idx3-ubyte.gz"));
        byte[] labels = gunzip(sampleFile("t10k-labels-idx1-ubyte.gz"));
        ByteBuffer shorter = ByteBuffer.allocate(8 + 999).putInt(IdxReader.LABELS_MAGIC).putInt(999);
        shorter.put(labels, 8, 999);
        gzip(shorter.array(), folder.resolve("t10k-labels-idx1-ubyte.gz"));

        assertThatThrownBy(() -> IdxSource.of("mismatch", folder, "").load(Part.TEST))
                .isInstanceOf(DataFormatException.class)
                .hasMessage("t10k-images-idx3-ubyte.gz holds 1000 images but t10k-labels-idx1-ubyte.gz holds 999 labels;"
                        + " they must match");
    }

    @Test
    void labelBeyondTheClassesIsRejected() throws IOException {
        Path folder = Files.createDirectory(temp.resolve("fashion-bad-label"));
        byte[] images = gunzip(sampleFile("t10k-images-idx3-ubyte.gz"));
        ByteBuffer oneImage = ByteBuffer.allocate(16 + 784).putInt(IdxReader.IMAGES_MAGIC).putInt(1).putInt(28).putInt(28);
        oneImage.put(images, 16, 784);
        Files.write(folder.resolve("train-images-idx3-ubyte"), oneImage.array());
        Files.write(folder.resolve("train-labels-idx1-ubyte"), ByteBuffer.allocate(9).putInt(IdxReader.LABELS_MAGIC)
                .putInt(1).put((byte) 12).array());

        assertThatThrownBy(() -> IdxSource.of("bad", folder, "").load(Part.TRAIN))
                .hasMessageContaining("label 12 of item 0 is outside the 10 classes");
    }

    @Test
    void missingFileIsOneLine() {
        assertThatThrownBy(() -> IdxReader.read(temp.resolve("nope.gz"))).hasMessage("no such file: " + temp.resolve("nope.gz"));
        assertThatThrownBy(() -> IdxReader.read(temp)).hasMessageContaining("is a folder");
    }

    static Path sampleFile(String name) {
        return DataLocations.system().sample("fashion-mnist-sample").orElseThrow().resolve(name);
    }

    static byte[] gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return in.readAllBytes();
        }
    }

    static void gzip(byte[] bytes, Path target) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(buffer)) {
            out.write(bytes);
        }
        Files.write(target, buffer.toByteArray());
    }
}
