package dev.verdant.compress;

import dev.verdant.compress.PassContext.CalibrationSample;
import dev.verdant.runtime.OrtRunner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Times several ONNX Runtime sessions side by side on the same batch: each is warmed up, then the sessions take
 * turns run by run, so drift in the machine's load (other processes, frequency scaling) falls on all of them alike.
 * Reports the median of each.
 */
public final class LatencyComparison {

    private LatencyComparison() {
    }

    /**
     * Median milliseconds per batch for each model, in the order given.
     *
     * @param warmups runs of each model before timing
     * @param rounds  timed runs of each model, interleaved
     */
    public static double[] medianMillis(List<OrtRunner> models, CalibrationSample batch, int warmups, int rounds) {
        if (rounds < 1) {
            throw new IllegalArgumentException("latency needs at least one timed round, got " + rounds);
        }
        for (int w = 0; w < warmups; w++) {
            models.forEach(m -> m.run(batch.inputs()));
        }
        List<double[]> samples = new ArrayList<>();
        models.forEach(m -> samples.add(new double[rounds]));
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < models.size(); i++) {
                // alternate the order every round so neither model always runs right after the other
                int index = r % 2 == 0 ? i : models.size() - 1 - i;
                long start = System.nanoTime();
                models.get(index).run(batch.inputs());
                samples.get(index)[r] = (System.nanoTime() - start) / 1e6;
            }
        }
        double[] medians = new double[models.size()];
        for (int i = 0; i < medians.length; i++) {
            double[] sorted = samples.get(i).clone();
            Arrays.sort(sorted);
            medians[i] = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                    : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        }
        return medians;
    }
}
