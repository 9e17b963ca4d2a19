package dev.verdant.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Labelled texts (sentences, glosses, quotations) for text models and few-shot work; tokenizing is left to the model
 * that reads them.
 *
 * @param name       a short name for reports, for example {@code wordnet-nouns}
 * @param texts      one text per sample
 * @param labels     one label per text; shared, not copied: do not modify
 * @param classNames the class names, indexed by label
 */
public record TextDataset(String name, List<String> texts, int[] labels, List<String> classNames)
        implements Dataset<TextDataset> {

    public TextDataset {
        Objects.requireNonNull(name, "name");
        texts = List.copyOf(texts);
        if (texts.size() != labels.length) {
            throw new DataFormatException(name + ": " + texts.size() + " texts but " + labels.length + " labels");
        }
        classNames = List.copyOf(classNames);
        LabelIndex.check(name, labels, classNames);
    }

    /** Text {@code index}. */
    public String text(int index) {
        return texts.get(index);
    }

    @Override
    public TextDataset select(int[] indices) {
        List<String> selectedTexts = new ArrayList<>(indices.length);
        int[] selectedLabels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            selectedTexts.add(texts.get(indices[i]));
            selectedLabels[i] = labels[indices[i]];
        }
        return new TextDataset(name, selectedTexts, selectedLabels, classNames);
    }

    /** Equal when name, texts, labels and class names are all equal (labels compared by content). */
    @Override
    public boolean equals(Object other) {
        return other instanceof TextDataset that && name.equals(that.name) && texts.equals(that.texts)
                && Arrays.equals(labels, that.labels) && classNames.equals(that.classNames);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, texts, Arrays.hashCode(labels), classNames);
    }

    @Override
    public String toString() {
        return "TextDataset[" + name + ": " + size() + " texts, " + classCount() + " classes]";
    }
}
