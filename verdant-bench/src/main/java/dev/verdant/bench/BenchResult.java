package dev.verdant.bench;

import java.util.List;
import java.util.Optional;

/**
 * Everything one {@code verdant bench} run measured, as written to JSON ({@code kind = "bench"}, documented in
 * {@code docs/report-format.md}) and read back by {@code verdant report}.
 *
 * @param kind            always {@value #KIND}, so readers can tell a bench file from other results
 * @param schemaVersion   {@value #SCHEMA_VERSION}; raised when a field changes meaning
 * @param command         the command line that produced it, when a command did ({@code null} otherwise)
 * @param startedAt       ISO-8601 instant the run began
 * @param durationSeconds wall-clock time of the whole run, model loading included
 * @param machine         where it ran
 * @param settings        how it ran
 * @param models          the models, the model under test first
 * @param measurements    one row per model and (threads, batch) configuration, in the order measured
 * @param comparisons     model against baseline, one row per configuration (empty without a baseline)
 * @param energy          how energy and emissions were obtained
 * @param notes           anything that shapes how the figures should be read
 */
public record BenchResult(String kind, int schemaVersion, String command, String startedAt, double durationSeconds, Machine machine,
                          Settings settings, List<ModelFacts> models, List<Measurement> measurements,
                          List<Comparison> comparisons, EnergyBasis energy, List<String> notes) {

    /** The {@code kind} of a bench result file. */
    public static final String KIND = "bench";
    /** The schema version this code writes. */
    public static final int SCHEMA_VERSION = 1;

    public BenchResult {
        models = List.copyOf(models);
        measurements = List.copyOf(measurements);
        comparisons = List.copyOf(comparisons);
        notes = List.copyOf(notes);
    }

    /** The same result recording the command line that produced it. */
    public BenchResult withCommand(String commandLine) {
        return new BenchResult(kind, schemaVersion, commandLine, startedAt, durationSeconds, machine, settings, models,
                measurements, comparisons, energy, notes);
    }

    /** The measurement of {@code model} at ({@code threads}, {@code batch}), if it was taken. */
    public Optional<Measurement> measurement(String model, int threads, int batch) {
        return measurements.stream()
                .filter(m -> m.model().equals(model) && m.threads() == threads && m.batchSize() == batch)
                .findFirst();
    }

    /**
     * The machine a run used.
     *
     * @param cpuModel          the CPU as the kernel names it
     * @param logicalCpus       logical CPUs usable by the JVM
     * @param memoryBytes       installed RAM the kernel sees
     * @param os                operating system name, version and architecture
     * @param jvm               Java runtime vendor and version
     * @param onnxRuntime       ONNX Runtime version
     */
    public record Machine(String cpuModel, int logicalCpus, long memoryBytes, String os, String jvm,
                          String onnxRuntime) {
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

    /**
     * How energy was obtained.
     *
     * @param method                 {@code measured} (a hardware counter) or {@code estimated}
     * @param scope                  what the figures cover
     * @param pue                    the facility overhead applied to emissions
     * @param gridGramsPerKilowattHour the carbon intensity applied
     * @param grid                   where that intensity comes from
     * @param assumptions            every assumption behind the figures
     */
    public record EnergyBasis(String method, String scope, double pue, double gridGramsPerKilowattHour, String grid,
                              List<String> assumptions) {
        public EnergyBasis {
            assumptions = List.copyOf(assumptions);
        }
    }
}
