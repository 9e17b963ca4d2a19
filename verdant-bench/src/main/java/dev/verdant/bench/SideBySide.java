package dev.verdant.bench;

import dev.verdant.report.LatencyStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * The one measurement loop of Verdant: times one or more models in turn on their own inputs and charges the energy
 * read around each block of runs to the model that ran it. {@code verdant bench} (and optimize through it) and the
 * latency and energy check of {@code verdant compress} all measure here.
 *
 * <p>Each model is warmed up, then the models run in alternating blocks in ABBA order (A B, then B A, ...), so that
 * drift over the run (thermal throttling, a neighbour's load, frequency scaling) falls on all of them alike instead
 * of on whichever ran second. Every model gets at least one block before the time box can end the measurement.
 */
public final class SideBySide {

    /** The shortest block worth reading energy around: 20 ticks of the 10 ms {@code /proc} CPU clock. */
    static final long MIN_BLOCK_NANOS = 200_000_000L;
    /** The most runs one block is lengthened to. */
    static final int MAX_RUNS_PER_BLOCK = 100_000;

    private SideBySide() {
    }

    /** One model's run; {@code index} counts its runs from 0, to pick which of its prepared batches to use. */
    @FunctionalInterface
    public interface Workload {
        /** Runs the model once. */
        void run(long index);
    }

    /**
     * How long to measure.
     *
     * @param warmupRuns          untimed runs of each model first
     * @param runsPerBlock        runs of one model before the next takes its turn
     * @param lengthenShortBlocks lengthen blocks to {@link #MIN_BLOCK_NANOS} where warm-up shows runs are short, so
     *                            that the energy read around a block is long against one tick of the counters
     * @param measuredRuns        timed runs of each model at most
     * @param timeBox             when set, no new round starts once this much time has passed
     */
    public record Plan(int warmupRuns, int runsPerBlock, boolean lengthenShortBlocks, int measuredRuns,
                       Optional<Duration> timeBox) {

        public Plan {
            if (warmupRuns < 0 || runsPerBlock < 1 || measuredRuns < 1) {
                throw new IllegalArgumentException("a measurement needs warm-up runs >= 0, blocks of at least one run"
                        + " and at least one timed run; got " + warmupRuns + ", " + runsPerBlock + ", " + measuredRuns);
            }
            timeBox = timeBox == null ? Optional.empty() : timeBox;
        }

        /** Interleaved single runs, as many as {@code rounds}, with no time box: for latency alone. */
        public static Plan interleaved(int warmupRuns, int rounds) {
            return new Plan(warmupRuns, 1, false, rounds, Optional.empty());
        }
    }

    /**
     * What one model's timed runs took.
     *
     * @param nanos  each timed run's wall time
     * @param joules the IT energy read around this model's blocks
     */
    public record Timing(long[] nanos, double joules) {

        public Timing {
            nanos = nanos.clone();
        }

        @Override
        public long[] nanos() {
            return nanos.clone();
        }

        /** How many runs were timed. */
        public int runs() {
            return nanos.length;
        }

        /** The runs' latency summary. */
        public LatencyStats latency() {
            return LatencyStats.ofNanos(nanos);
        }
    }

    /**
     * The median milliseconds of each model's run, the models taking turns run by run (the order reversing every
     * round) for {@code rounds} rounds after {@code warmupRuns} untimed runs each: latency alone, no energy.
     */
    public static double[] medianMillis(List<Workload> models, int warmupRuns, int rounds) {
        return measure(models, Plan.interleaved(warmupRuns, rounds), () -> 0, () -> { }).stream()
                .mapToDouble(t -> t.latency().p50Millis()).toArray();
    }

    /**
     * Measures the models side by side.
     *
     * @param models       each model's run, in the order the timings come back
     * @param plan         how long to measure
     * @param itJoules     the cumulative IT energy so far (read once per block boundary; {@code () -> 0} for none)
     * @param afterWarmup  runs once between the warm-up and the timed runs (to reset a peak-memory mark)
     * @return one timing per model, in order
     */
    public static List<Timing> measure(List<Workload> models, Plan plan, DoubleSupplier itJoules,
            Runnable afterWarmup) {
        int n = models.size();
        long fastestWarmupRun = Long.MAX_VALUE;
        for (Workload model : models) {
            long total = 0;
            for (int i = 0; i < plan.warmupRuns(); i++) {
                total += runOnce(model, i);
            }
            if (plan.warmupRuns() > 0) {
                fastestWarmupRun = Math.min(fastestWarmupRun, total / plan.warmupRuns());
            }
        }
        int runsPerBlock = plan.lengthenShortBlocks() ? runsPerBlock(plan.runsPerBlock(), fastestWarmupRun)
                : plan.runsPerBlock();
        afterWarmup.run();
        List<long[]> nanos = new ArrayList<>();
        for (int m = 0; m < n; m++) {
            nanos.add(new long[Math.min(plan.measuredRuns(), 1024)]);
        }
        int[] done = new int[n];
        double[] joules = new double[n];
        long deadline = plan.timeBox().map(d -> System.nanoTime() + d.toNanos()).orElse(Long.MAX_VALUE);
        // one counter read per block boundary: reading costs milliseconds of CPU (it scans /proc), so the read
        // that ends one block also starts the next
        double mark = itJoules.getAsDouble();
        for (int round = 0; ; round++) {
            boolean anyLeft = false;
            for (int k = 0; k < n; k++) {
                // ABBA: even rounds run models in order, odd rounds in reverse
                int m = round % 2 == 0 ? k : n - 1 - k;
                int block = Math.min(runsPerBlock, plan.measuredRuns() - done[m]);
                if (block <= 0) {
                    continue;
                }
                long[] times = room(nanos, m, done[m] + block);
                for (int r = 0; r < block; r++) {
                    times[done[m]] = runOnce(models.get(m), done[m]);
                    done[m]++;
                }
                double now = itJoules.getAsDouble();
                joules[m] += now - mark;
                mark = now;
                anyLeft |= done[m] < plan.measuredRuns();
            }
            if (!anyLeft || System.nanoTime() >= deadline) {
                break;
            }
        }
        List<Timing> timings = new ArrayList<>();
        for (int m = 0; m < n; m++) {
            timings.add(new Timing(Arrays.copyOf(nanos.get(m), done[m]), joules[m]));
        }
        return timings;
    }

    /**
     * Runs per block: at least the configured number, and enough that a block lasts {@link #MIN_BLOCK_NANOS} when
     * warm-up showed runs are short. Energy counters tick coarsely (the CPU-time estimate reads {@code /proc} in 10 ms
     * clock ticks; RAPL updates about every millisecond), so a block must be long against one tick for its energy
     * to mean anything.
     */
    static int runsPerBlock(int configured, long runNanos) {
        if (runNanos <= 0 || runNanos == Long.MAX_VALUE) {
            return configured;
        }
        long needed = (MIN_BLOCK_NANOS + runNanos - 1) / runNanos;
        return (int) Math.max(configured, Math.min(needed, MAX_RUNS_PER_BLOCK));
    }

    /** The model's times array, grown to hold {@code size} runs (a time-boxed plan may allow millions). */
    private static long[] room(List<long[]> nanos, int model, int size) {
        long[] times = nanos.get(model);
        if (times.length < size) {
            times = Arrays.copyOf(times, Math.max(size, times.length * 2));
            nanos.set(model, times);
        }
        return times;
    }

    private static long runOnce(Workload model, long index) {
        long start = System.nanoTime();
        model.run(index);
        return System.nanoTime() - start;
    }
}
