package dev.verdant.report;

import java.util.List;
import java.util.Optional;

/**
 * What one {@code verdant bench} run measured: the part of a {@link Result} of kind {@value Result#BENCH} (the run,
 * machine and energy basis are the result's own).
 *
 * @param settings     how it ran
 * @param models       the models, the model under test first
 * @param measurements one row per model and (threads, batch) configuration, in the order measured
 * @param comparisons  model against baseline, one row per configuration (empty without a baseline)
 */
public record Benchmark(Settings settings, List<ModelFacts> models, List<Measurement> measurements,
                        List<Comparison> comparisons) {

    public Benchmark {
        models = models == null ? List.of() : List.copyOf(models);
        measurements = measurements == null ? List.of() : List.copyOf(measurements);
        comparisons = comparisons == null ? List.of() : List.copyOf(comparisons);
    }

    /** The measurement of {@code model} at ({@code threads}, {@code batch}), if it was taken. */
    public Optional<Measurement> measurement(String model, int threads, int batch) {
        return measurements.stream()
                .filter(m -> m.model().equals(model) && m.threads() == threads && m.batchSize() == batch)
                .findFirst();
    }

    /**
     * How the run was set up.
     *
     * @param threads          intra-op thread counts measured
     * @param batchSizes       batch sizes measured
     * @param warmupRuns       unmeasured runs per model and configuration
     * @param measuredRuns     measured runs asked for per model and configuration
     * @param timeBoxSeconds   the time box per configuration, or 0 for none
     * @param runsPerBlock     the fewest runs in a block when models alternate (blocks are lengthened to 0.2 s when
     *                         warm-up shows runs are shorter)
     * @param inputKind        {@code data} or {@code synthetic}
     * @param inputDescription what the inputs were
     * @param seed             the seed of sample choice and generated values
     */
    public record Settings(List<Integer> threads, List<Integer> batchSizes, int warmupRuns, int measuredRuns,
                           double timeBoxSeconds, int runsPerBlock, String inputKind, String inputDescription,
                           long seed) {
        public Settings {
            threads = List.copyOf(threads);
            batchSizes = List.copyOf(batchSizes);
        }
    }

    /**
     * What a model is, independent of how it ran.
     *
     * @param label           the name tables use
     * @param role            {@code model} or {@code baseline}
     * @param path            the file measured
     * @param bytes           the file's size
     * @param params          floating-point parameters
     * @param quantizedParams 8- and 4-bit integer parameters
     * @param macs            multiply-accumulates of one inference, for the input shapes measured
     * @param flops           FLOPs of one inference (2 x MACs + elementwise)
     */
    public record ModelFacts(String label, String role, String path, long bytes, long params, long quantizedParams,
                             long macs, long flops) {
    }

    /**
     * One model at one (threads, batch) configuration.
     *
     * @param model                        the model's label
     * @param threads                      intra-op threads
     * @param batchSize                    samples per run
     * @param latency                      time of one run of one batch
     * @param millisPerInference           mean run time divided by the batch size
     * @param inferencesPerSecond          batch size x runs / measured time
     * @param peakResidentBytes            the process's resident-set high-water mark ({@code VmHWM}) during this
     *                                     configuration, JVM and every loaded model included; 0 where unknown
     * @param loadResidentBytes            how much the process's resident set grew when this model's session was
     *                                     created for this thread count (the weights as ONNX Runtime holds them
     *                                     after graph optimization); 0 where unknown
     * @param energyJoulesPerInference     IT energy of the measured runs divided by the inferences
     * @param co2eGramsPerMillionInferences emissions of a million inferences: energy x PUE x grid intensity
     */
    public record Measurement(String model, int threads, int batchSize, LatencyStats latency, double millisPerInference,
                              double inferencesPerSecond, long peakResidentBytes, long loadResidentBytes,
                              double energyJoulesPerInference,
                              double co2eGramsPerMillionInferences) {
    }

    /**
     * The model under test against the baseline at one configuration. Ratios above 1 favour the model for speedup
     * and throughput; below 1 favour it for size and energy.
     *
     * @param threads         intra-op threads
     * @param batchSize       samples per run
     * @param model           the model's label
     * @param baseline        the baseline's label
     * @param speedup         baseline mean latency / model mean latency
     * @param throughputRatio model throughput / baseline throughput
     * @param sizeRatio       model file bytes / baseline file bytes
     * @param energyRatio     model energy per inference / baseline energy per inference
     */
    public record Comparison(int threads, int batchSize, String model, String baseline, double speedup,
                             double throughputRatio, double sizeRatio, double energyRatio) {
    }
}
