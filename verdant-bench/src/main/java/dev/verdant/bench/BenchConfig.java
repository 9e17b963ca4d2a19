package dev.verdant.bench;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How a benchmark runs: the grid of intra-op thread counts and batch sizes, warm-up and measured runs per model and
 * configuration, an optional time box, and how many runs a block holds when models alternate.
 *
 * @param threads      intra-op thread counts to measure, each at least 1
 * @param batchSizes   batch sizes to measure, each at least 1
 * @param warmupRuns   unmeasured runs per model and configuration before timing (JIT, arena growth, caches)
 * @param measuredRuns measured runs per model and configuration (fewer when the time box ends first)
 * @param timeBox      per configuration, stop starting new blocks once this much time has passed; empty for none
 * @param runsPerBlock runs one model does before the other takes its turn, when models alternate
 * @param seed         fixes the choice of samples and any generated values
 */
public record BenchConfig(List<Integer> threads, List<Integer> batchSizes, int warmupRuns, int measuredRuns,
                          Optional<Duration> timeBox, int runsPerBlock, long seed) {

    public BenchConfig {
        threads = List.copyOf(threads);
        batchSizes = List.copyOf(batchSizes);
        if (threads.isEmpty() || threads.stream().anyMatch(t -> t < 1)) {
            throw new IllegalArgumentException("--threads needs one or more counts of at least 1, got " + threads);
        }
        if (batchSizes.isEmpty() || batchSizes.stream().anyMatch(b -> b < 1)) {
            throw new IllegalArgumentException("--batch needs one or more sizes of at least 1, got " + batchSizes);
        }
        if (warmupRuns < 0) {
            throw new IllegalArgumentException("--warmup must be 0 or more, got " + warmupRuns);
        }
        if (measuredRuns < 1) {
            throw new IllegalArgumentException("--iterations must be at least 1, got " + measuredRuns);
        }
        if (timeBox.isPresent() && (timeBox.get().isNegative() || timeBox.get().isZero())) {
            throw new IllegalArgumentException("--duration must be positive, got " + timeBox.get());
        }
        if (runsPerBlock < 1) {
            throw new IllegalArgumentException("runs per block must be at least 1, got " + runsPerBlock);
        }
    }

    /** A builder with the defaults: 1 thread, batch 1, 10 warm-up and 100 measured runs, blocks of 10, seed 42. */
    public static Builder builder() {
        return new Builder();
    }

    /** How many (threads, batch) configurations the grid has. */
    public int configurationCount() {
        return threads.size() * batchSizes.size();
    }

    /** Builds a {@link BenchConfig}; every setting is optional. */
    public static final class Builder {
        private List<Integer> threads = List.of(1);
        private List<Integer> batchSizes = List.of(1);
        private int warmupRuns = 10;
        private int measuredRuns = 100;
        private Optional<Duration> timeBox = Optional.empty();
        private int runsPerBlock = 10;
        private long seed = 42;

        private Builder() {
        }

        public Builder optThreads(List<Integer> threads) {
            this.threads = threads;
            return this;
        }

        public Builder optBatchSizes(List<Integer> batchSizes) {
            this.batchSizes = batchSizes;
            return this;
        }

        public Builder optWarmupRuns(int warmupRuns) {
            this.warmupRuns = warmupRuns;
            return this;
        }

        public Builder optMeasuredRuns(int measuredRuns) {
            this.measuredRuns = measuredRuns;
            return this;
        }

        public Builder optTimeBox(Duration timeBox) {
            this.timeBox = Optional.ofNullable(timeBox);
            return this;
        }

        public Builder optRunsPerBlock(int runsPerBlock) {
            this.runsPerBlock = runsPerBlock;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public BenchConfig build() {
            return new BenchConfig(threads, batchSizes, warmupRuns, measuredRuns, timeBox, runsPerBlock, seed);
        }
    }
}
