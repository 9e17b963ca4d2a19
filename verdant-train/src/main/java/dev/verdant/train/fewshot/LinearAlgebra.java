package dev.verdant.train.fewshot;

/** The few vector operations the few-shot classifiers share; package-private, as nothing else needs them. */
final class LinearAlgebra {

    private LinearAlgebra() {
    }

    static double dot(double[] a, float[] b) {
        double sum = 0;
        for (int j = 0; j < a.length; j++) {
            if (b[j] != 0) {
                sum += a[j] * b[j];
            }
        }
        return sum;
    }

    /** Scales {@code v} to unit length in place (a zero vector stays zero). */
    static void normalize(double[] v) {
        double norm = 0;
        for (double x : v) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        if (norm > 0) {
            for (int j = 0; j < v.length; j++) {
                v[j] /= norm;
            }
        }
    }

    /** A unit-length copy of {@code v} (a zero vector stays zero). */
    static float[] normalized(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        norm = Math.sqrt(norm);
        float[] unit = new float[v.length];
        for (int j = 0; j < v.length; j++) {
            unit[j] = norm > 0 ? (float) (v[j] / norm) : 0f;
        }
        return unit;
    }

    static float[][] normalized(float[][] rows) {
        float[][] unit = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            unit[i] = normalized(rows[i]);
        }
        return unit;
    }

    /** The mean vector of each class, indexed by label. */
    static double[][] classMeans(float[][] rows, int[] labels, int classes) {
        double[][] means = new double[classes][rows[0].length];
        int[] counts = new int[classes];
        for (int i = 0; i < rows.length; i++) {
            double[] mean = means[labels[i]];
            for (int j = 0; j < mean.length; j++) {
                mean[j] += rows[i][j];
            }
            counts[labels[i]]++;
        }
        for (int c = 0; c < classes; c++) {
            if (counts[c] == 0) {
                throw new IllegalArgumentException("class " + c + " has no support example");
            }
            for (int j = 0; j < means[c].length; j++) {
                means[c][j] /= counts[c];
            }
        }
        return means;
    }
}
