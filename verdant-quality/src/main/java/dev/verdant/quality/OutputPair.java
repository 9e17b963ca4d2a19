package dev.verdant.quality;

/**
 * One example's values of one output, from the original and from the compressed model: what a
 * {@link QualityMetric} compares. A batched output is cut into its examples along the first axis; the output of a
 * stateful model is the values of every step of one sequence, one after the other.
 *
 * @param output    the output's name in the original model
 * @param shape     the shape of one step's values of this example (the batch axis kept, at 1), e.g. {@code 1x10}
 *                  for logits or {@code 1x1x640x640} for a probability map; the last axis is the one argmax and
 *                  top-k read
 * @param steps     how many steps the values hold (1 unless the model was run as a sequence)
 * @param reference the original's values, row-major, {@code steps} times the size of {@code shape}
 * @param candidate the compressed model's values, laid out as {@code reference}
 */
public record OutputPair(String output, long[] shape, int steps, float[] reference, float[] candidate) {

    public OutputPair {
        if (reference.length != candidate.length) {
            throw new IllegalArgumentException("output '" + output + "' has " + candidate.length
                    + " values in the compressed model but " + reference.length + " in the original");
        }
    }

    /** The length of the last axis (1 for a scalar): the classes argmax and top-k choose among. */
    public int lastAxis() {
        return shape.length == 0 ? 1 : (int) Math.max(1, shape[shape.length - 1]);
    }

    /** How many vectors along the last axis the values hold, over every step. */
    public int rows() {
        return reference.length / lastAxis();
    }
}
