package dev.verdant.compress;

import dev.verdant.compress.PassContext.CalibrationSample;
import dev.verdant.report.Compression;
import dev.verdant.runtime.InputTensor;
import dev.verdant.runtime.ModelInputs;
import dev.verdant.runtime.OrtRunner.Output;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How closely a compressed model reproduces the original on real inputs: cosine similarity of each example's
 * embedding (the first output; a (batch, sequence, hidden) output is mean-pooled over the attention mask, as
 * sentence encoders are used), and the largest absolute difference over every float output element, and over the
 * elements of real tokens only (what an encoder returns at padded positions is not meant to be read, and a pass such
 * as {@code unpad} sets it to 0).
 *
 * @param minCosine            the lowest per-example cosine similarity
 * @param meanCosine           the mean per-example cosine similarity
 * @param maxAbsDiff           the largest absolute difference of any output element
 * @param maxAbsDiffRealTokens the largest absolute difference of an output element at a position the attention mask
 *                             marks real ({@link #maxAbsDiff} for models without a mask or outputs without positions)
 * @param examples             how many examples were compared
 */
public record Fidelity(double minCosine, double meanCosine, double maxAbsDiff, double maxAbsDiffRealTokens,
        int examples) {

    /** These figures as a compress result records them. */
    public Compression.Fidelity figures() {
        return new Compression.Fidelity(minCosine, meanCosine, maxAbsDiff, maxAbsDiffRealTokens, examples);
    }

    /** Accumulates the comparison over batches. */
    public static final class Meter {
        private double minCosine = 1;
        private double sumCosine;
        private double maxAbsDiff;
        private double maxAbsDiffRealTokens;
        private int examples;

        /**
         * Compares one batch's outputs; {@code sample} supplies the attention mask for pooling. Outputs pair by
         * name, or by position when the candidate names them differently (another export of the same model).
         */
        public void add(Map<String, Output> reference, Map<String, Output> candidate, CalibrationSample sample) {
            List<Output> left = new ArrayList<>(reference.values());
            List<Output> right = new ArrayList<>();
            if (candidate.keySet().containsAll(reference.keySet())) {
                reference.keySet().forEach(name -> right.add(candidate.get(name)));
            } else {
                right.addAll(candidate.values());
            }
            int pairs = Math.min(left.size(), right.size());
            if (pairs == 0) {
                throw new IllegalStateException("the models have no float outputs to compare");
            }
            for (int p = 0; p < pairs; p++) {
                float[] a = left.get(p).values();
                float[] b = right.get(p).values();
                if (a.length != b.length) {
                    throw new IllegalStateException("output " + p + " has " + b.length + " values in the compressed "
                            + "model but " + a.length + " in the original");
                }
                long[] mask = positionMask(left.get(p).shape(), sample);
                int perPosition = mask == null ? a.length : a.length / mask.length;
                for (int i = 0; i < a.length; i++) {
                    double diff = Math.abs((double) a[i] - b[i]);
                    maxAbsDiff = Double.isNaN(diff) ? Double.NaN : Math.max(maxAbsDiff, diff);
                    if (mask == null || mask[i / perPosition] != 0) {
                        maxAbsDiffRealTokens = Double.isNaN(diff) ? Double.NaN : Math.max(maxAbsDiffRealTokens, diff);
                    }
                }
            }
            float[][] leftRows = embeddings(left.get(0), sample);
            float[][] rightRows = embeddings(right.get(0), sample);
            for (int row = 0; row < leftRows.length; row++) {
                double cosine = cosine(leftRows[row], rightRows[row]);
                minCosine = Double.isNaN(cosine) ? Double.NaN : Math.min(minCosine, cosine);
                sumCosine += cosine;
                examples++;
            }
        }

        public Fidelity result() {
            return new Fidelity(minCosine, examples == 0 ? Double.NaN : sumCosine / examples, maxAbsDiff,
                    maxAbsDiffRealTokens, examples);
        }

        /** The attention mask, one entry per (batch, sequence) position, when this output is laid out that way. */
        static long[] positionMask(long[] shape, CalibrationSample sample) {
            InputTensor mask = sample.inputs().get(ModelInputs.ATTENTION_MASK);
            if (mask == null || mask.longs() == null || mask.shape().length != 2 || shape.length < 2
                    || shape[0] != mask.shape()[0] || shape[1] != mask.shape()[1]) {
                return null;
            }
            return mask.longs();
        }
    }

    /**
     * The outputs as the per-output comparison reads them: where an output is laid out (batch, sequence, ...) along
     * the batch's attention mask, its values at padded positions are set to 0, so that the original's (which no
     * pooling reads) and the compressed model's (which {@code unpad} sets to 0) are not compared; other outputs are
     * returned as they are.
     */
    public static Map<String, Output> atRealTokens(Map<String, Output> outputs, CalibrationSample sample) {
        Map<String, Output> masked = new LinkedHashMap<>();
        outputs.forEach((name, output) -> {
            long[] mask = Meter.positionMask(output.shape(), sample);
            if (mask == null) {
                masked.put(name, output);
                return;
            }
            float[] values = output.values().clone();
            int perPosition = values.length / mask.length;
            for (int position = 0; position < mask.length; position++) {
                if (mask[position] == 0) {
                    Arrays.fill(values, position * perPosition, (position + 1) * perPosition, 0f);
                }
            }
            masked.put(name, new Output(output.shape(), values));
        });
        return masked;
    }

    /**
     * One vector per example: mean-pooled over unmasked positions for (batch, sequence, hidden) outputs (runtime's
     * one pooling, {@link Output#embeddings}).
     */
    public static float[][] embeddings(Output output, CalibrationSample sample) {
        return output.embeddings(sample.inputs().get(ModelInputs.ATTENTION_MASK));
    }

    /** Cosine similarity of two equally long vectors; 1 when both are all zeros (runtime's one definition). */
    public static double cosine(float[] a, float[] b) {
        return dev.verdant.runtime.EvaluationSums.cosine(a, b);
    }
}
