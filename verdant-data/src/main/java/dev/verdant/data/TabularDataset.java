package dev.verdant.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Labelled table rows of numeric features, {@code (size, featureNames.size())} row-major, as read from a CSV file
 * with a label column.
 *
 * @param name         a short name for reports, for example {@code iris.csv}
 * @param features     {@code (size, featureNames.size())} row-major; shared, not copied: do not modify
 * @param featureNames the feature columns' names, in order
 * @param labels       one label per row; shared, not copied
 * @param classNames   the class names, indexed by label
 */
public record TabularDataset(String name, float[] features, List<String> featureNames, int[] labels,
                             List<String> classNames) implements FeatureDataset<TabularDataset> {

    public TabularDataset {
        Objects.requireNonNull(name, "name");
        featureNames = List.copyOf(featureNames);
        if (featureNames.isEmpty()) {
            throw new DataFormatException(name + " has no feature columns");
        }
        if (features.length != (long) labels.length * featureNames.size()) {
            throw new DataFormatException(name + ": " + labels.length + " rows of " + featureNames.size()
                    + " features need " + (long) labels.length * featureNames.size() + " values, not " + features.length);
        }
        classNames = List.copyOf(classNames);
        LabelIndex.check(name, labels, classNames);
    }

    /** {@code [featureNames.size()]}. */
    @Override
    public long[] sampleShape() {
        return new long[] {featureNames.size()};
    }

    @Override
    public TabularDataset select(int[] indices) {
        int width = featureNames.size();
        float[] selectedFeatures = new float[Math.multiplyExact(indices.length, width)];
        int[] selectedLabels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(features, indices[i] * width, selectedFeatures, i * width, width);
            selectedLabels[i] = labels[indices[i]];
        }
        return new TabularDataset(name, selectedFeatures, featureNames, selectedLabels, classNames);
    }

    /** Equal when name, columns, values, labels and class names are all equal (arrays compared by content). */
    @Override
    public boolean equals(Object other) {
        return other instanceof TabularDataset that && name.equals(that.name) && featureNames.equals(that.featureNames)
                && Arrays.equals(labels, that.labels) && classNames.equals(that.classNames)
                && Arrays.equals(features, that.features);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, featureNames, Arrays.hashCode(labels), classNames);
    }

    @Override
    public String toString() {
        return "TabularDataset[" + name + ": " + size() + " rows of " + featureNames.size() + " features, "
                + classCount() + " classes]";
    }
}
