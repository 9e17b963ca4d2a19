package dev.verdant.optimize;

import dev.verdant.bench.BenchConfig;
import dev.verdant.bench.BenchModel;
import dev.verdant.bench.BenchRunner;
import dev.verdant.bench.ProcessMemory;
import dev.verdant.compress.CompressionRequest;
import dev.verdant.compress.Compressor;
import dev.verdant.energy.Tracker;
import dev.verdant.optimize.CandidateResult.ThreadMeasurement;
import dev.verdant.quality.OutputTolerance;
import dev.verdant.report.Benchmark;
import dev.verdant.report.Benchmark.Comparison;
import dev.verdant.report.Benchmark.Measurement;
import dev.verdant.report.Compression;
import dev.verdant.report.Compression.LayerSensitivity;
import dev.verdant.report.EnergyBasis;
import dev.verdant.report.Machine;
import dev.verdant.report.Result;
import dev.verdant.report.Search.ModelFacts;
import dev.verdant.report.Search.Quality;
import dev.verdant.runtime.Feed;
import dev.verdant.runtime.SampleFeed;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Builds one candidate of a search with the {@link Compressor}, checks it against the original on real inputs in ONNX
 * Runtime, and times it, its energy measured, at each thread count side by side with the original with the
 * {@link BenchRunner}: the work of one candidate, wherever it runs (this JVM, or a Spark executor).
 */
public final class CandidateBuilder {

    /** Warm-up runs per thread count before timing. */
    static final int WARMUP_RUNS = 5;
    /** Examples per batch while checking quality (not the batch timed). */
    static final int CHECK_BATCH = 16;

    private final Tracker tracker;
    private final ProcessMemory memory;
    private final LongSupplier nanoClock;
    private final SearchContext context;

    /**
     * @param tracker   where energy comes from
     * @param memory    where resident memory is read
     * @param nanoClock the clock a candidate's time is taken by
     * @param context   the search the candidates belong to
     */
    public CandidateBuilder(Tracker tracker, ProcessMemory memory, LongSupplier nanoClock, SearchContext context) {
        this.tracker = tracker;
        this.memory = memory;
        this.nanoClock = nanoClock;
        this.context = context;
    }

    /**
     * A finished candidate, and where its benchmark ran.
     *
     * @param result  the candidate as the state file records it
     * @param machine the machine it was measured on, or null when it could not be built
     * @param energy  how its energy was obtained, or null when it could not be built
     */
    public record Built(CandidateResult result, Machine machine, EnergyBasis energy) {
    }

    /**
     * Builds, checks and measures the candidate of {@code plan}; a recipe the model does not take is a failed
     * candidate, not an error.
     *
     * @param nanosLeft what is left of the search's budget: the layer ranking runs only when it fits
     */
    public Built build(CandidatePlan plan, long nanosLeft) {
        long start = nanoClock.getAsLong();
        Evaluation evaluation = evaluate(plan, nanosLeft);
        CandidateResult result = evaluation.result((nanoClock.getAsLong() - start) / 1e9);
        Result bench = evaluation.bench();
        return new Built(result, bench == null ? null : bench.machine(), bench == null ? null : bench.energy());
    }

    /** The file name of a plan's candidate model in the candidate folder. */
    public static String fileName(CandidatePlan plan) {
        return plan.id().replaceAll("[^A-Za-z0-9.=-]+", "_") + ".onnx";
    }

    /** A finished candidate and, when it was measured, the benchmark behind its figures. */
    private record Evaluation(CandidatePlan plan, String error, String modelFile, ModelFacts facts, Quality quality,
            List<ThreadMeasurement> measurements, List<String> sensitiveNodes, Result bench) {

        CandidateResult result(double seconds) {
            if (error != null) {
                return CandidateResult.failed(plan, error, seconds);
            }
            return new CandidateResult(plan, null, modelFile, facts, quality, measurements,
                    bench.energy().method(), sensitiveNodes, seconds);
        }
    }

    private Evaluation evaluate(CandidatePlan plan, long nanosLeft) {
        OptimizeRequest request = context.request();
        Path inputPath = request.model().file();
        Feed feed = context.feed();
        List<Tolerance> tolerances = context.tolerances();
        if (plan.isOriginal()) {
            Result bench = bench(plan, inputPath, null, feed, request);
            return new Evaluation(plan, null, inputPath.toString(), facts(bench), null,
                    measurements(bench, plan.id()),
                    List.of(), bench);
        }
        Path output = context.candidateFolder().resolve(fileName(plan));
        Compression report;
        List<String> sensitive = List.of();
        try {
            long buildStart = nanoClock.getAsLong();
            report = Compressor.run(compression(plan, request, output, false)).compression();
            long buildNanos = nanoClock.getAsLong() - buildStart;
            Quality quality = quality(report);
            boolean broke = !tolerances.stream().allMatch(t -> t.holds(quality));
            // the ranking builds the candidate once per quantized layer (calibration included): PP-OCR's detector has
            // ~100 such layers at ~40 s a build on this machine, hours past any budget, so it runs only when it fits
            // in what is left of the budget, and the keep-float fallbacks that need it are then not tried
            long rankingNanos = quantizedNodes(report) * buildNanos;
            if (broke && plan.onlyQuantizationLoses() && plan.keepFloat().isEmpty() && rankingNanos <= nanosLeft) {
                // rank the layers only when the fallbacks need it: the analysis quantizes each layer alone
                sensitive = Compressor.run(compression(plan, request, output, true)).compression().sensitivity().stream()
                        .map(LayerSensitivity::node).toList();
            }
        } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
            // a recipe this model does not take is a finding of the search, not an error of the user's
            return new Evaluation(plan, oneLine(e), null, null, null, List.of(), List.of(), null);
        }
        Result bench = bench(plan, output, inputPath, feed, request);
        return new Evaluation(plan, null, output.toString(), facts(bench), quality(report),
                measurements(bench, plan.id()),
                sensitive, bench);
    }

    /** The layers the candidate's int8 steps quantized, as their facts say. */
    private static long quantizedNodes(Compression report) {
        return report.steps().stream().map(step -> step.facts().get("quantizedNodes"))
                .mapToLong(n -> n instanceof Number number ? number.longValue() : 0).sum();
    }

    private static CompressionRequest compression(CandidatePlan plan, OptimizeRequest request, Path output,
            boolean sensitivity) {
        int threads = request.threads().stream().mapToInt(Integer::intValue).max().orElse(1);
        // quality only: speed and energy are measured once, by bench, side by side with the original
        return CompressionRequest.builder(request.model(), output, plan.parsed()).optOptions(plan.options())
                .optData(request.data()).optInputs(request.inputs(), request.inputsPath())
                .optQuality(request.quality().reportedOnly())
                .optExamples(request.calibration(), request.checkExamples()).optThreads(threads)
                .optBatchSize(CHECK_BATCH).optSequenceLength(request.sequenceLength()).optPadding(request.padding())
                .optLatencyRounds(0)
                .optMeasureEnergy(false).optSensitivity(sensitivity).optVersion(request.version()).build();
    }

    /**
     * Times a model at each thread count; a candidate runs side by side with the original (alternating blocks, as
     * {@code verdant bench --baseline} does), so its ratios to the original hold whatever the machine's load.
     *
     * @param original the original's file, or null to time {@code file} alone
     */
    private Result bench(CandidatePlan plan, Path file, Path original, Feed feed, OptimizeRequest request) {
        // the time box covers a configuration, both models of a pair included
        Duration timeBox = original == null ? request.measureTime() : request.measureTime().multipliedBy(2);
        BenchConfig config = BenchConfig.builder().optThreads(request.threads())
                // the user's examples come one a run (SampleFeed)
                .optBatchSizes(List.of(feed instanceof SampleFeed ? 1 : request.batchSize())).optWarmupRuns(WARMUP_RUNS)
                .optMeasuredRuns(1_000_000).optTimeBox(timeBox).optSeed(SearchContext.SEED).build();
        List<BenchModel> models = new ArrayList<>();
        models.add(new BenchModel(plan.id(), file, BenchModel.Role.MODEL));
        if (original != null) {
            models.add(new BenchModel(CandidatePlan.ORIGINAL_ID, original, BenchModel.Role.BASELINE));
        }
        return new BenchRunner(tracker, memory, line -> { }).run(models, feed, config);
    }

    private static ModelFacts facts(Result bench) {
        Benchmark.ModelFacts f = bench.bench().models().get(0);
        return new ModelFacts(f.bytes(), f.params(), f.quantizedParams(), f.macs(), f.flops());
    }

    /** The candidate's own rows, with the ratios to the original it was measured beside (1 for the original). */
    private static List<ThreadMeasurement> measurements(Result bench, String label) {
        List<ThreadMeasurement> rows = new ArrayList<>();
        for (Measurement m : bench.bench().measurements()) {
            if (!m.model().equals(label)) {
                continue;
            }
            Optional<Comparison> ratio = bench.bench().comparisons().stream()
                    .filter(c -> c.threads() == m.threads() && c.batchSize() == m.batchSize()).findFirst();
            rows.add(new ThreadMeasurement(m.threads(), m.batchSize(), m.millisPerInference(),
                    m.latency().p50Millis(), m.latency().p99Millis(), m.inferencesPerSecond(),
                    m.peakResidentBytes(), m.energyJoulesPerInference(), m.co2eGramsPerMillionInferences(),
                    m.latency().runs(), ratio.map(Comparison::speedup).orElse(1.0),
                    ratio.map(Comparison::energyRatio).orElse(1.0)));
        }
        return rows;
    }

    private static Quality quality(Compression report) {
        Compression.Accuracy accuracy = report.accuracy();
        Compression.Fidelity fidelity = report.fidelity();
        List<Compression.OutputRow> judged = report.outputs().stream().filter(r -> r.passed() != null).toList();
        return new Quality(accuracy == null ? null : accuracy.compressed(),
                accuracy == null ? null : accuracy.original(), fidelity == null ? null : fidelity.minCosine(),
                fidelity == null ? null : fidelity.meanCosine(),
                accuracy != null ? accuracy.examples() : fidelity == null ? 0 : fidelity.examples(),
                judged.isEmpty() ? null : judged.stream().allMatch(Compression.OutputRow::passed),
                judged.stream().flatMap(row -> row.tolerances().stream().map(t -> measured(row, t))).toList());
    }

    /**
     * One output's measure against one of its tolerances, and whether it held: {@code name metric value (needs >=X):
     * held}, or {@code (its kind's default >=X)} when none was stated. Whether the line decides the verdict is the
     * search's tolerance, said once above the lines.
     */
    private static String measured(Compression.OutputRow row, String tolerance) {
        OutputTolerance bound = OutputTolerance.parse(row.output() + "=" + tolerance);
        Double value = row.measures().get(bound.metric());
        String needs = tolerance.substring(bound.metric().length());
        String held = value == null ? "" : bound.holds(value) ? ": held" : ": not held";
        return String.format(Locale.ROOT, "%s %s %s (%s%s)%s", row.output(), bound.metric(),
                value == null ? "-" : String.format(Locale.ROOT, "%.4f", value),
                row.byDefault() ? "its kind's default " : "needs ", needs, held);
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
