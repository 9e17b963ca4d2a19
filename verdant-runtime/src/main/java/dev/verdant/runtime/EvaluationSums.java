package dev.verdant.runtime;

import java.io.Serializable;
import java.util.List;

/**
 * What scoring a block of examples adds up to, kept as sums so that blocks merge into the whole: correct answers of
 * the model (and of its baseline) for a classifier, and for a model compared with its baseline the per-example cosine
 * similarity of their outputs (lowest, and summed) and the largest absolute difference of any output value. Counts
 * merge exactly in any order; the cosine sum is a floating-point sum, so every evaluation merges its blocks in block
 * order ({@link #merge(List)}), single-machine and distributed alike, and the two agree to the last bit.
 *
 * @param examples        examples scored
 * @param labelled        examples that carry a label
 * @param correct         labelled examples whose top-scoring class is the label
 * @param baselineCorrect the same for the baseline (0 without one)
 * @param compared        examples compared with the baseline (0 without one)
 * @param minCosine       the lowest cosine similarity of an example's outputs to the baseline's (1 when none)
 * @param cosineSum       the cosine similarities summed
 * @param maxAbsDiff      the largest absolute difference of any output value from the baseline's
 */
public record EvaluationSums(long examples, long labelled, long correct, long baselineCorrect, long compared,
        double minCosine, double cosineSum, double maxAbsDiff) implements Serializable {

    /** Nothing scored: the identity of {@link #plus}. */
    public static final EvaluationSums NONE = new EvaluationSums(0, 0, 0, 0, 0, 1, 0, 0);

    /** Both sums together (NaN, from a model that returned NaN, stays NaN). */
    public EvaluationSums plus(EvaluationSums other) {
        return new EvaluationSums(examples + other.examples, labelled + other.labelled, correct + other.correct,
                baselineCorrect + other.baselineCorrect, compared + other.compared,
                Math.min(minCosine, other.minCosine), cosineSum + other.cosineSum,
                Math.max(maxAbsDiff, other.maxAbsDiff));
    }

    /** The blocks' sums merged in the order given (block order): the one merge every evaluation uses. */
    public static EvaluationSums merge(List<EvaluationSums> blocks) {
        EvaluationSums total = NONE;
        for (EvaluationSums block : blocks) {
            total = total.plus(block);
        }
        return total;
    }

    /** The model's accuracy over the labelled examples; NaN when none is labelled. */
    public double accuracy() {
        return labelled == 0 ? Double.NaN : (double) correct / labelled;
    }

    /** The baseline's accuracy over the labelled examples; NaN without a baseline or labels. */
    public double baselineAccuracy() {
        return labelled == 0 || compared == 0 ? Double.NaN : (double) baselineCorrect / labelled;
    }

    /** The mean cosine similarity to the baseline; NaN without one. */
    public double meanCosine() {
        return compared == 0 ? Double.NaN : cosineSum / compared;
    }

    /** Cosine similarity of two equally long vectors, in double; 1 when both are all zeros. */
    public static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        if (na == 0 && nb == 0) {
            return 1;
        }
        return dot / Math.sqrt(na * nb);
    }
}
