package dev.verdant.compress.share;

import java.util.Arrays;

/**
 * One-dimensional k-means as Deep Compression uses it (Han et al., 2016): centroids start evenly spaced between the
 * smallest and largest value (linear initialization, which keeps a few centroids on the rare large weights), then
 * Lloyd iterations run until no value changes cluster or the cap is reached.
 *
 * <p>In one dimension the clusters of sorted centroids are contiguous runs of the sorted values, split at the
 * midpoints between neighbouring centroids; with prefix sums each iteration costs O(k log n) instead of O(n k).
 */
public final class ScalarKMeans {

    /** Iterations at most; 1-D Lloyd usually settles within a few dozen. */
    public static final int DEFAULT_MAX_ITERATIONS = 300;

    private final int maxIterations;

    public ScalarKMeans(int maxIterations) {
        if (maxIterations < 1) {
            throw new IllegalArgumentException("k-means needs at least one iteration, got " + maxIterations);
        }
        this.maxIterations = maxIterations;
    }

    public ScalarKMeans() {
        this(DEFAULT_MAX_ITERATIONS);
    }

    /**
     * The centroids of {@code values} and each value's cluster.
     *
     * @param centroids   sorted ascending, at most k (fewer when the values have fewer distinct elements, which are
     *                    then the centroids exactly)
     * @param assignment  for each value, the index of its nearest centroid
     * @param iterations  Lloyd iterations run
     * @param converged   whether the last iteration changed no assignment
     */
    public record Clustering(float[] centroids, int[] assignment, int iterations, boolean converged) {
    }

    /** Clusters {@code values} into at most {@code k} centroids. */
    public Clustering fit(float[] values, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k-means needs k >= 1, got " + k);
        }
        if (values.length == 0) {
            return new Clustering(new float[0], new int[0], 0, true);
        }
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        for (float value : sorted) {
            if (!Float.isFinite(value)) {
                throw new IllegalArgumentException("cannot cluster a weight that is " + value);
            }
        }
        float[] distinct = distinct(sorted);
        if (distinct.length <= k) {
            return new Clustering(distinct, assign(values, distinct), 0, true);
        }
        double[] prefix = new double[sorted.length + 1]; // prefix[i] = sum of sorted[0..i)
        for (int i = 0; i < sorted.length; i++) {
            prefix[i + 1] = prefix[i] + sorted[i];
        }
        double min = sorted[0];
        double max = sorted[sorted.length - 1];
        double[] centroids = new double[k];
        for (int j = 0; j < k; j++) {
            centroids[j] = k == 1 ? (min + max) / 2 : min + (max - min) * j / (k - 1);
        }
        int[] bounds = new int[k + 1]; // cluster j holds sorted[bounds[j] .. bounds[j + 1])
        int[] previous = new int[k + 1];
        bounds[k] = sorted.length;
        int iterations = 0;
        boolean converged = false;
        while (iterations < maxIterations) {
            iterations++;
            for (int j = 1; j < k; j++) {
                bounds[j] = countAtMost(sorted, (centroids[j - 1] + centroids[j]) / 2);
            }
            if (iterations > 1 && Arrays.equals(bounds, previous)) {
                converged = true;
                break;
            }
            System.arraycopy(bounds, 0, previous, 0, bounds.length);
            for (int j = 0; j < k; j++) {
                int count = bounds[j + 1] - bounds[j];
                if (count > 0) { // an empty cluster keeps its centroid, as in Han et al.'s linear initialization
                    centroids[j] = (prefix[bounds[j + 1]] - prefix[bounds[j]]) / count;
                }
            }
            Arrays.sort(centroids);
        }
        float[] result = new float[k];
        for (int j = 0; j < k; j++) {
            result[j] = (float) centroids[j];
        }
        Arrays.sort(result);
        return new Clustering(result, assign(values, result), iterations, converged);
    }

    /** Each value's nearest centroid (ties to the lower one), by binary search over the midpoints. */
    static int[] assign(float[] values, float[] sortedCentroids) {
        int k = sortedCentroids.length;
        double[] midpoints = new double[Math.max(0, k - 1)];
        for (int j = 1; j < k; j++) {
            midpoints[j - 1] = ((double) sortedCentroids[j - 1] + sortedCentroids[j]) / 2;
        }
        int[] assignment = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            int low = 0;
            int high = midpoints.length; // answer: number of midpoints strictly below the value
            while (low < high) {
                int mid = (low + high) >>> 1;
                if (midpoints[mid] < values[i]) {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            assignment[i] = low;
        }
        return assignment;
    }

    private static int countAtMost(float[] sorted, double limit) {
        int low = 0;
        int high = sorted.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (sorted[mid] <= limit) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private static float[] distinct(float[] sorted) {
        int count = 0;
        float[] out = new float[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || Float.compare(sorted[i], sorted[i - 1]) != 0) {
                out[count++] = sorted[i];
            }
        }
        return Arrays.copyOf(out, count);
    }
}
