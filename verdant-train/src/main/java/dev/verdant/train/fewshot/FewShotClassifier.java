package dev.verdant.train.fewshot;

import java.util.Locale;

/**
 * A classifier fitted on the few labelled support examples of one episode and applied to its queries. Both members
 * work on L2-normalized vectors, so they compare directions (cosine), not magnitudes. A closed family:
 * {@link Prototype} and {@link LogisticRegression}.
 */
public sealed interface FewShotClassifier {

    /**
     * Fits on the support set and predicts a label in {@code [0, classes)} for each query.
     *
     * @param support       the support vectors
     * @param supportLabels their labels in {@code [0, classes)}, each class present at least once
     * @param classes       the number of classes of the episode
     * @param queries       the vectors to classify
     */
    int[] predict(float[][] support, int[] supportLabels, int classes, float[][] queries);

    /** The name used on the command line. */
    String name();

    /** {@code prototype} or {@code logreg}; anything else fails with one line. */
    static FewShotClassifier byName(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "prototype" -> new Prototype();
            case "logreg" -> LogisticRegression.defaults();
            default -> throw new IllegalArgumentException("unknown classifier '" + name
                    + "'; expected prototype or logreg");
        };
    }

    /**
     * Nearest class mean by cosine: each class's prototype is the mean of its normalized support vectors; a query
     * takes the class whose prototype is most similar in direction (Snell et al., 2017, with cosine similarity).
     */
    record Prototype() implements FewShotClassifier {
        @Override
        public int[] predict(float[][] support, int[] supportLabels, int classes, float[][] queries) {
            double[][] prototypes = LinearAlgebra.classMeans(LinearAlgebra.normalized(support), supportLabels, classes);
            for (double[] prototype : prototypes) {
                LinearAlgebra.normalize(prototype);
            }
            int[] predictions = new int[queries.length];
            for (int q = 0; q < queries.length; q++) {
                float[] query = queries[q];
                int best = 0;
                double bestScore = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < classes; c++) {
                    double score = LinearAlgebra.dot(prototypes[c], query); // query norm is common to all classes
                    if (score > bestScore) {
                        bestScore = score;
                        best = c;
                    }
                }
                predictions[q] = best;
            }
            return predictions;
        }

        @Override
        public String name() {
            return "prototype";
        }
    }

    /**
     * Multinomial logistic regression on the normalized support vectors, L2-regularized, fitted by full-batch
     * gradient descent from the prototype solution (weights {@code scale * prototype}, the linear form of the
     * nearest-mean rule), so a few dozen steps suffice and the result never starts worse than chance.
     *
     * @param iterations   gradient steps
     * @param learningRate step size
     * @param l2           weight decay
     * @param scale        the inverse temperature of the logits ({@code scale * cos})
     */
    record LogisticRegression(int iterations, double learningRate, double l2, double scale)
            implements FewShotClassifier {

        /** 100 steps of 0.5 with weight decay 1e-3 on logits scaled by 10. */
        public static LogisticRegression defaults() {
            return new LogisticRegression(100, 0.5, 1e-3, 10);
        }

        @Override
        public int[] predict(float[][] support, int[] supportLabels, int classes, float[][] queries) {
            float[][] x = LinearAlgebra.normalized(support);
            double[][] weights = LinearAlgebra.classMeans(x, supportLabels, classes);
            for (double[] w : weights) {
                LinearAlgebra.normalize(w);
            }
            double[] bias = new double[classes];
            int dim = x[0].length;
            double[] logits = new double[classes];
            double[][] gradW = new double[classes][dim];
            double[] gradB = new double[classes];
            for (int step = 0; step < iterations; step++) {
                for (double[] row : gradW) {
                    java.util.Arrays.fill(row, 0);
                }
                java.util.Arrays.fill(gradB, 0);
                for (int i = 0; i < x.length; i++) {
                    scores(weights, bias, x[i], logits);
                    softmax(logits);
                    logits[supportLabels[i]] -= 1; // d(cross-entropy)/d(logit)
                    for (int j = 0; j < dim; j++) {
                        float xj = x[i][j];
                        if (xj == 0) {
                            continue; // bag-of-words vectors are mostly zeros
                        }
                        for (int c = 0; c < classes; c++) {
                            gradW[c][j] += logits[c] * scale * xj;
                        }
                    }
                    for (int c = 0; c < classes; c++) {
                        gradB[c] += logits[c];
                    }
                }
                for (int c = 0; c < classes; c++) {
                    for (int j = 0; j < dim; j++) {
                        weights[c][j] -= learningRate * (gradW[c][j] / x.length + l2 * weights[c][j]);
                    }
                    bias[c] -= learningRate * gradB[c] / x.length;
                }
            }
            int[] predictions = new int[queries.length];
            for (int q = 0; q < queries.length; q++) {
                scores(weights, bias, LinearAlgebra.normalized(queries[q]), logits);
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (logits[c] > logits[best]) {
                        best = c;
                    }
                }
                predictions[q] = best;
            }
            return predictions;
        }

        private void scores(double[][] weights, double[] bias, float[] x, double[] out) {
            for (int c = 0; c < out.length; c++) {
                out[c] = scale * LinearAlgebra.dot(weights[c], x) + bias[c];
            }
        }

        private static void softmax(double[] logits) {
            double max = Double.NEGATIVE_INFINITY;
            for (double v : logits) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (int c = 0; c < logits.length; c++) {
                logits[c] = Math.exp(logits[c] - max);
                sum += logits[c];
            }
            for (int c = 0; c < logits.length; c++) {
                logits[c] /= sum;
            }
        }

        @Override
        public String name() {
            return "logreg";
        }
    }
}
