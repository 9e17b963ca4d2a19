package dev.verdant.compress.quantize;

/**
 * The statistics of one activation tensor over the calibration data: its extremes, then a histogram of
 * magnitudes over {@code [0, max|x|]} for the methods that clip.
 */
final class ActivationRange {

    static final int BINS = 2048;
    private static final double PERCENTILE = 0.9999;
    private static final int QUANTIZED_LEVELS = 128;

    private float min = Float.POSITIVE_INFINITY;
    private float max = Float.NEGATIVE_INFINITY;
    private final long[] histogram = new long[BINS];

    /** First pass: extremes. */
    void observeExtremes(float[] values) {
        for (float v : values) {
            if (Float.isFinite(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
    }

    /** Second pass: magnitudes into the histogram over [0, max|x|]. */
    void observeHistogram(float[] values) {
        float absMax = absMax();
        if (absMax == 0) {
            return;
        }
        for (float v : values) {
            // exact zeros (half of every ReLU output) are exact under any threshold; counted, they would swamp
            // the distribution the clipping methods weigh
            if (Float.isFinite(v) && v != 0) {
                int bin = (int) (Math.abs(v) / absMax * BINS);
                histogram[Math.min(bin, BINS - 1)]++;
            }
        }
    }

    float absMax() {
        return Float.isFinite(min) ? Math.max(Math.abs(min), Math.abs(max)) : 0f;
    }

    /** The range [low, high] to quantize, always containing 0. */
    float[] range(CalibrationMethod method) {
        if (!Float.isFinite(min)) {
            return new float[] {0f, 0f};
        }
        float low = Math.min(min, 0f);
        float high = Math.max(max, 0f);
        if (method == CalibrationMethod.MIN_MAX || absMax() == 0) {
            return new float[] {low, high};
        }
        float threshold = method == CalibrationMethod.PERCENTILE ? percentileThreshold() : entropyThreshold();
        return new float[] {Math.max(low, -threshold), Math.min(high, threshold)};
    }

    private float binWidth() {
        return absMax() / BINS;
    }

    private float percentileThreshold() {
        long total = 0;
        for (long count : histogram) {
            total += count;
        }
        long seen = 0;
        for (int bin = 0; bin < BINS; bin++) {
            seen += histogram[bin];
            if (seen >= PERCENTILE * total) {
                return (bin + 1) * binWidth();
            }
        }
        return absMax();
    }

    /**
     * The TensorRT-style search: for each candidate threshold, the clipped distribution P (outliers folded into
     * the last bin) against Q, the unclipped bins merged into 128 levels and spread back over their non-empty bins;
     * the threshold with the smallest KL(P || Q) wins.
     */
    private float entropyThreshold() {
        double bestDivergence = Double.POSITIVE_INFINITY;
        int bestBins = BINS;
        for (int bins = QUANTIZED_LEVELS; bins <= BINS; bins += 16) {
            double[] p = new double[bins];
            for (int i = 0; i < bins; i++) {
                p[i] = histogram[i];
            }
            for (int i = bins; i < BINS; i++) {
                p[bins - 1] += histogram[i];
            }
            double[] q = new double[bins];
            double perLevel = (double) bins / QUANTIZED_LEVELS;
            for (int level = 0; level < QUANTIZED_LEVELS; level++) {
                int start = (int) Math.floor(level * perLevel);
                int end = level == QUANTIZED_LEVELS - 1 ? bins : (int) Math.floor((level + 1) * perLevel);
                double sum = 0;
                int nonEmpty = 0;
                // Q is built from the histogram before the outliers were folded in: that mass is what it lacks
                for (int i = start; i < end; i++) {
                    sum += histogram[i];
                    nonEmpty += histogram[i] > 0 ? 1 : 0;
                }
                for (int i = start; i < end; i++) {
                    q[i] = histogram[i] > 0 ? sum / nonEmpty : 0;
                }
            }
            double divergence = divergence(p, q);
            if (divergence < bestDivergence) {
                bestDivergence = divergence;
                bestBins = bins;
            }
        }
        return bestBins * binWidth();
    }

    private static double divergence(double[] p, double[] q) {
        double sumP = 0;
        double sumQ = 0;
        for (int i = 0; i < p.length; i++) {
            sumP += p[i];
            sumQ += q[i];
        }
        if (sumP == 0 || sumQ == 0) {
            return Double.POSITIVE_INFINITY;
        }
        double divergence = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] > 0) {
                double pi = p[i] / sumP;
                // a bin P has and Q lost is infinitely surprising; a tiny floor keeps the search ordered
                double qi = Math.max(q[i] / sumQ, 1e-12);
                divergence += pi * Math.log(pi / qi);
            }
        }
        return divergence;
    }
}
