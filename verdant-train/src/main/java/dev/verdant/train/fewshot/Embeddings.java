package dev.verdant.train.fewshot;

import dev.verdant.data.FeatureDataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Labelled feature vectors computed once per run (the embeddings of a frozen backbone, or raw features), from which
 * every episode draws its support and query examples.
 *
 * @param vectors    one vector per example, all of the same length; shared, not copied
 * @param labels     one label per example, in {@code [0, classNames.size())}; shared, not copied
 * @param classNames the class names, indexed by label
 */
public record Embeddings(float[][] vectors, int[] labels, List<String> classNames) {

    public Embeddings {
        Objects.requireNonNull(vectors);
        classNames = List.copyOf(classNames);
        if (vectors.length != labels.length) {
            throw new IllegalArgumentException(vectors.length + " vectors but " + labels.length + " labels");
        }
        for (float[] vector : vectors) {
            if (vector.length != vectors[0].length) {
                throw new IllegalArgumentException("vectors differ in length: " + vector.length + " and "
                        + vectors[0].length);
            }
        }
    }

    /** The rows of a feature dataset (an extractor's output, or raw pixels) as vectors. */
    public static Embeddings of(FeatureDataset<?> data) {
        int width = data.featureSize();
        float[][] vectors = new float[data.size()][];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = new float[width];
            System.arraycopy(data.features(), i * width, vectors[i], 0, width);
        }
        return new Embeddings(vectors, data.labels(), data.classNames());
    }

    public int size() {
        return labels.length;
    }

    /** The vector length. */
    public int dimension() {
        return vectors.length == 0 ? 0 : vectors[0].length;
    }

    /** The example indices of each class, indexed by label. */
    public List<int[]> indicesByClass() {
        List<List<Integer>> members = new ArrayList<>();
        for (int c = 0; c < classNames.size(); c++) {
            members.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            members.get(labels[i]).add(i);
        }
        return members.stream().map(list -> list.stream().mapToInt(Integer::intValue).toArray()).toList();
    }
}
