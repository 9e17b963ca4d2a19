package dev.verdant.optimize;

/**
 * How well a candidate reproduces the original on the check data. Unknown figures are null.
 *
 * @param accuracy         the candidate's top-1 accuracy in [0, 1] (labelled data only)
 * @param originalAccuracy the original's top-1 accuracy on the same examples
 * @param minCosine        the lowest per-example cosine of the candidate's output to the original's
 * @param meanCosine       the mean per-example cosine
 * @param examples         how many examples were checked
 */
public record Quality(Double accuracy, Double originalAccuracy, Double minCosine, Double meanCosine, int examples) {

    /** The original's own quality: its accuracy, and fidelity 1 to itself by definition. */
    public static Quality ofOriginal(Double originalAccuracy, int examples) {
        return new Quality(originalAccuracy, originalAccuracy, 1.0, 1.0, examples);
    }

    /** The figure the front and tables rank by: accuracy when labelled, else the minimum cosine. */
    public Double score() {
        return accuracy != null ? accuracy : minCosine;
    }

    /** What {@link #score()} is. */
    public String scoreMetric() {
        return accuracy != null ? "top-1 accuracy" : "min cosine fidelity";
    }
}
