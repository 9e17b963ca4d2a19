package dev.verdant.report;

import java.util.Arrays;

/**
 * Summary of measured run times, in milliseconds: mean, nearest-rank percentiles, extremes and spread.
 *
 * @param runs         how many runs were measured
 * @param meanMillis   arithmetic mean
 * @param p50Millis    median (nearest rank)
 * @param p90Millis    90th percentile (nearest rank)
 * @param p99Millis    99th percentile (nearest rank)
 * @param minMillis    fastest run
 * @param maxMillis    slowest run
 * @param stddevMillis sample standard deviation (0 for a single run)
 * @param totalSeconds the sum of all run times
 */
public record LatencyStats(int runs, double meanMillis, double p50Millis, double p90Millis, double p99Millis,
                           double minMillis, double maxMillis, double stddevMillis, double totalSeconds) {

    /**
     * Summarizes run times given in nanoseconds.
     *
     * @throws IllegalArgumentException when there is no run or a time is negative
     */
    public static LatencyStats ofNanos(long[] nanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no run was measured");
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        if (sorted[0] < 0) {
            throw new IllegalArgumentException("a run time is negative: " + sorted[0] + " ns");
        }
        double sum = 0;
        for (long n : sorted) {
            sum += n;
        }
        double mean = sum / sorted.length;
        double squares = 0;
        for (long n : sorted) {
            squares += (n - mean) * (n - mean);
        }
        double stddev = sorted.length > 1 ? Math.sqrt(squares / (sorted.length - 1)) : 0;
        return new LatencyStats(sorted.length, mean / 1e6, percentile(sorted, 50) / 1e6, percentile(sorted, 90) / 1e6,
                percentile(sorted, 99) / 1e6, sorted[0] / 1e6, sorted[sorted.length - 1] / 1e6, stddev / 1e6, sum / 1e9);
    }

    /**
     * The nearest-rank percentile of sorted values: the smallest value such that at least {@code p}% of the values
     * are at most it. Nearest rank never invents a time no run took, unlike interpolation.
     */
    static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
