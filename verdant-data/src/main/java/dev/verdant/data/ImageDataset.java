package dev.verdant.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Labelled images as float32 pixels scaled to [0, 1], {@code (size, channels, height, width)} row-major: the input
 * Verdant's image models take as is (any normalization lives inside the ONNX graph).
 *
 * @param name       a short name for reports, for example {@code fashion-mnist/test}
 * @param pixels     {@code (size, channels, height, width)} row-major, in [0, 1]; shared, not copied: do not modify
 * @param channels   channels per image (1 for grey)
 * @param height     rows per image
 * @param width      columns per image
 * @param labels     one label per image, in {@code [0, classNames.size())}; shared, not copied
 * @param classNames the class names, indexed by label
 */
public record ImageDataset(String name, float[] pixels, int channels, int height, int width, int[] labels,
                           List<String> classNames) implements FeatureDataset<ImageDataset> {

    /** Fashion-MNIST's ten classes, in label order (from the dataset's README). */
    public static final List<String> FASHION_MNIST_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** The ten digit classes of MNIST, {@code "0"} to {@code "9"}. */
    public static final List<String> DIGIT_CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    public ImageDataset {
        Objects.requireNonNull(name, "name");
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new DataFormatException(name + ": image shape " + channels + "x" + height + "x" + width
                    + " must be positive");
        }
        long expected = (long) labels.length * channels * height * width;
        if (pixels.length != expected) {
            throw new DataFormatException(name + ": " + labels.length + " images of " + channels + "x" + height + "x"
                    + width + " need " + expected + " pixels, not " + pixels.length);
        }
        classNames = List.copyOf(classNames);
        LabelIndex.check(name, labels, classNames);
    }

    @Override
    public float[] features() {
        return pixels;
    }

    /** {@code [channels, height, width]}. */
    @Override
    public long[] sampleShape() {
        return new long[] {channels, height, width};
    }

    /** A copy of image {@code index}'s pixels, {@code (channels, height, width)} row-major. */
    public float[] image(int index) {
        return sample(index);
    }

    @Override
    public ImageDataset select(int[] indices) {
        int imageSize = channels * height * width;
        float[] selectedPixels = new float[Math.multiplyExact(indices.length, imageSize)];
        int[] selectedLabels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(pixels, indices[i] * imageSize, selectedPixels, i * imageSize, imageSize);
            selectedLabels[i] = labels[indices[i]];
        }
        return new ImageDataset(name, selectedPixels, channels, height, width, selectedLabels, classNames);
    }

    /** The same images under another name. */
    public ImageDataset withName(String newName) {
        return new ImageDataset(newName, pixels, channels, height, width, labels, classNames);
    }

    /** {@code first}'s images followed by {@code second}'s; both must have the same image shape and classes. */
    static ImageDataset concat(String name, ImageDataset first, ImageDataset second) {
        if (!Arrays.equals(first.sampleShape(), second.sampleShape()) || !first.classNames.equals(second.classNames)) {
            throw new DataFormatException("cannot join " + first.name + " and " + second.name
                    + ": their image shapes or classes differ");
        }
        float[] pixels = Arrays.copyOf(first.pixels, first.pixels.length + second.pixels.length);
        System.arraycopy(second.pixels, 0, pixels, first.pixels.length, second.pixels.length);
        int[] labels = Arrays.copyOf(first.labels, first.labels.length + second.labels.length);
        System.arraycopy(second.labels, 0, labels, first.labels.length, second.labels.length);
        return new ImageDataset(name, pixels, first.channels, first.height, first.width, labels, first.classNames);
    }

    /** Equal when name, shape, pixels, labels and class names are all equal (arrays compared by content). */
    @Override
    public boolean equals(Object other) {
        return other instanceof ImageDataset that && name.equals(that.name) && channels == that.channels
                && height == that.height && width == that.width && Arrays.equals(labels, that.labels)
                && classNames.equals(that.classNames) && Arrays.equals(pixels, that.pixels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, channels, height, width, Arrays.hashCode(labels), classNames);
    }

    @Override
    public String toString() {
        return "ImageDataset[" + name + ": " + size() + " images of " + channels + "x" + height + "x" + width + ", "
                + classCount() + " classes]";
    }
}
