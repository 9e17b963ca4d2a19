package dev.verdant.bench;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.energy.Energy;
import dev.verdant.energy.EnergyReport;
import dev.verdant.energy.TrackedRun;
import dev.verdant.energy.Tracker;
import dev.verdant.energy.meter.HostInfo;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.report.Benchmark.Comparison;
import dev.verdant.report.Benchmark.Measurement;
import dev.verdant.report.Benchmark.ModelFacts;
import dev.verdant.report.Benchmark.Settings;
import dev.verdant.report.Benchmark;
import dev.verdant.report.EnergyBasis;
import dev.verdant.report.LatencyStats;
import dev.verdant.report.Machine;
import dev.verdant.report.Result;
import dev.verdant.report.RunInfo;
import dev.verdant.runtime.Feed;
import dev.verdant.runtime.OrtRunner;
import dev.verdant.runtime.PreparedBatches;
import dev.verdant.runtime.SessionSpec;
import dev.verdant.runtime.inspect.ModelInspector;
import dev.verdant.runtime.inspect.ModelSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs models in ONNX Runtime over a grid of intra-op thread counts and batch sizes and measures latency,
 * throughput, peak memory and energy per inference.
 *
 * <p>With two models (a model and its baseline), both are loaded at once and measured in alternating blocks of
 * runs, in ABBA order (A B, then B A, ...), so that drift over the run (thermal throttling, a neighbour's load,
 * frequency scaling) falls on both alike instead of on whichever ran second. Energy is read from the tracker's
 * cumulative counters before and after each block and charged to the block's model.
 */
public final class BenchRunner {

    /** Below this much measured time per model and configuration, energy per inference is flagged as coarse. */
    static final double MIN_ENERGY_SECONDS = 1.0;

    private final Tracker tracker;
    private final ProcessMemory memory;
    private final Consumer<String> progress;

    /**
     * @param tracker  where energy comes from (its meters, grid intensity and PUE)
     * @param memory   where resident memory is read
     * @param progress receives one line as each configuration starts (for a console); may ignore them
     */
    public BenchRunner(Tracker tracker, ProcessMemory memory, Consumer<String> progress) {
        this.tracker = tracker;
        this.memory = memory;
        this.progress = progress;
    }

    /**
     * Benchmarks the models on the feed's inputs.
     *
     * @param models one model, or a model and one baseline
     * @throws IllegalArgumentException with one line for unusable models, inputs or settings
     */
    public Result run(List<BenchModel> models, Feed feed, BenchConfig config) {
        validate(models);
        Instant startedAt = Instant.now();
        long startNanos = System.nanoTime();
        Map<String, ModelFacts> facts = new LinkedHashMap<>();
        List<Measurement> measurements = new ArrayList<>();
        List<Comparison> comparisons = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        notes.add("latency is the wall time of one session.run of one batch, outputs included; "
                + "throughput = batch x runs / measured time");
        boolean peakResettable = memory.resetPeak();
        notes.add(peakResettable
                ? "peak memory: process resident-set high-water mark (VmHWM), reset before each configuration; it "
                        + "covers the JVM and every model loaded at the time, not ONNX Runtime's arena alone"
                : "peak memory: process resident-set high-water mark (VmHWM) since the JVM started (this kernel "
                        + "does not allow resetting it), JVM and every loaded model included");
        notes.add("load memory: resident growth while a model's session was created; the first session also pays "
                + "ONNX Runtime's start-up and later ones reuse memory freed by earlier sessions, so compare models "
                + "at the same thread count");
        if (models.size() > 1) {
            notes.add("side by side: both models loaded together and measured in alternating blocks of at least "
                    + config.runsPerBlock() + " runs, lengthened to 0.2 s where warm-up shows runs are short (ABBA "
                    + "order), so drift affects both alike");
        }
        EnergyReport energyReport;
        try (TrackedRun energyRun = tracker.startRun("verdant bench")) {
            int cell = 0;
            for (int threads : config.threads()) {
                List<OrtRunner> sessions = new ArrayList<>();
                long[] loadBytes = new long[models.size()];
                try {
                    for (int m = 0; m < models.size(); m++) {
                        long before = memory.residentBytes().orElse(-1);
                        sessions.add(openSession(models.get(m), threads));
                        long after = memory.residentBytes().orElse(-1);
                        loadBytes[m] = before < 0 || after < 0 ? 0 : Math.max(0, after - before);
                    }
                    for (int batch : config.batchSizes()) {
                        cell++;
                        progress.accept(String.format(Locale.ROOT, "[%d/%d] threads %d, batch %d", cell,
                                config.configurationCount(), threads, batch));
                        List<PreparedBatches> inputs = new ArrayList<>();
                        try {
                            for (OrtRunner session : sessions) {
                                inputs.add(feed.prepare(session, batch));
                            }
                            for (int m = 0; m < models.size(); m++) {
                                BenchModel model = models.get(m);
                                if (!facts.containsKey(model.label())) {
                                    facts.put(model.label(), inspect(model, inputs.get(m).shapesOfOneSample()));
                                }
                            }
                            List<Measurement> rows = measureConfiguration(models, sessions, inputs, config, threads,
                                    batch, energyRun, loadBytes);
                            measurements.addAll(rows);
                            if (models.size() == 2) {
                                comparisons.add(compare(rows.get(0), rows.get(1), facts.get(models.get(0).label()),
                                        facts.get(models.get(1).label())));
                            }
                        } finally {
                            inputs.forEach(PreparedBatches::close);
                        }
                    }
                } finally {
                    sessions.forEach(BenchRunner::closeQuietly);
                }
            }
            energyReport = energyRun.stop();
        }
        List<String> shortRuns = measurements.stream().filter(m -> m.latency().totalSeconds() < MIN_ENERGY_SECONDS)
                .map(m -> m.model() + " t" + m.threads() + " b" + m.batchSize()).toList();
        if (!shortRuns.isEmpty()) {
            notes.add("energy is coarse where measured runs lasted under " + MIN_ENERGY_SECONDS + " s in total ("
                    + String.join(", ", shortRuns) + "): energy counters tick every 1 to 10 ms; raise --iterations or "
                    + "give --duration for steadier figures");
        }
        double pue = tracker.pue();
        double gramsPerKwh = tracker.grid().intensity().gramsPerKilowattHour();
        List<Measurement> withCarbon = measurements.stream().map(m -> withEmissions(m, pue, gramsPerKwh)).toList();
        List<String> assumptions = new ArrayList<>(energyReport.assumptions());
        String scope = ("machine".equals(energyReport.trackingMode())
                ? "the whole machine, read from hardware counters (anything else running is charged too)"
                : "this JVM process's CPU time and resident memory")
                + "; IT energy of the measured runs only (warm-up, loading and input preparation are not charged)";
        EnergyBasis energy = new EnergyBasis(energyReport.method().label(), scope, pue, gramsPerKwh,
                tracker.grid().describe(), assumptions);
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return Result.of(new RunInfo("verdant bench", null, startedAt.toString(), seconds, feed.description()),
                machine(), energy, notes, new Benchmark(settings(config, feed), List.copyOf(facts.values()),
                        withCarbon, comparisons));
    }

    private static void validate(List<BenchModel> models) {
        if (models.isEmpty() || models.size() > 2) {
            throw new IllegalArgumentException("benchmark one model, or one model and one baseline; got "
                    + models.size());
        }
        if (models.get(0).role() != BenchModel.Role.MODEL
                || (models.size() == 2 && models.get(1).role() != BenchModel.Role.BASELINE)) {
            throw new IllegalArgumentException("the model under test comes first, the baseline second");
        }
        Set<String> labels = new HashSet<>();
        for (BenchModel model : models) {
            if (!labels.add(model.label())) {
                throw new IllegalArgumentException("the model and the baseline are both '" + model.label()
                        + "'; compare two different models");
            }
            // read before any session: a file ONNX Runtime cannot load gets OnnxModels' one line (empty, truncated,
            // not ONNX, a device) instead of the native loader's message and source location
            OnnxModels.read(model.file());
        }
    }

    private static OrtRunner openSession(BenchModel model, int threads) {
        return OrtRunner.open(model.file(), SessionSpec.threads(threads), model.label());
    }

    private static ModelFacts inspect(BenchModel model, Map<String, long[]> shapes) {
        ModelProto proto = OnnxModels.read(model.file());
        long bytes;
        try {
            bytes = Files.size(model.file());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + model.file() + ": " + e.getMessage(), e);
        }
        ModelSummary summary = ModelInspector.inspect(model.label(), bytes, proto, shapes);
        return new ModelFacts(model.label(), model.role().name().toLowerCase(Locale.ROOT), model.file().toString(),
                bytes, summary.params(), summary.quantizedParams(), summary.macs(), summary.flops());
    }

    /** Warms every model up, then measures them side by side until each has its runs or time is up. */
    private List<Measurement> measureConfiguration(List<BenchModel> models, List<OrtRunner> sessions,
            List<PreparedBatches> inputs, BenchConfig config, int threads, int batch, TrackedRun energyRun,
            long[] loadBytes) {
        List<SideBySide.Workload> workloads = new ArrayList<>();
        for (int m = 0; m < models.size(); m++) {
            OrtRunner session = sessions.get(m);
            PreparedBatches prepared = inputs.get(m);
            workloads.add(run -> session.run(prepared, run));
        }
        SideBySide.Plan plan = new SideBySide.Plan(config.warmupRuns(), config.runsPerBlock(), true,
                config.measuredRuns(), config.timeBox());
        List<SideBySide.Timing> timings = SideBySide.measure(workloads, plan,
                () -> energyRun.itEnergySoFar().joules(), memory::resetPeak);
        long peak = memory.peakResidentBytes().orElse(0);
        List<Measurement> rows = new ArrayList<>();
        for (int m = 0; m < models.size(); m++) {
            SideBySide.Timing timing = timings.get(m);
            LatencyStats latency = timing.latency();
            long inferences = (long) timing.runs() * batch;
            rows.add(new Measurement(models.get(m).label(), threads, batch, latency, latency.meanMillis() / batch,
                    inferences / latency.totalSeconds(), peak, loadBytes[m], timing.joules() / inferences, 0));
        }
        return rows;
    }

    /** CO2e of a million inferences: IT energy x PUE (facility energy) x grid intensity. */
    static Measurement withEmissions(Measurement m, double pue, double gramsPerKilowattHour) {
        double kilowattHoursPerMillion = m.energyJoulesPerInference() * 1e6 * pue / Energy.JOULES_PER_KILOWATT_HOUR;
        return new Measurement(m.model(), m.threads(), m.batchSize(), m.latency(), m.millisPerInference(),
                m.inferencesPerSecond(), m.peakResidentBytes(), m.loadResidentBytes(), m.energyJoulesPerInference(),
                kilowattHoursPerMillion * gramsPerKilowattHour);
    }

    static Comparison compare(Measurement model, Measurement baseline, ModelFacts modelFacts, ModelFacts baselineFacts) {
        return new Comparison(model.threads(), model.batchSize(), model.model(), baseline.model(),
                baseline.latency().meanMillis() / model.latency().meanMillis(),
                model.inferencesPerSecond() / baseline.inferencesPerSecond(),
                (double) modelFacts.bytes() / baselineFacts.bytes(),
                baseline.energyJoulesPerInference() > 0
                        ? model.energyJoulesPerInference() / baseline.energyJoulesPerInference() : Double.NaN);
    }

    private static Settings settings(BenchConfig config, Feed feed) {
        return new Settings(config.threads(), config.batchSizes(), config.warmupRuns(), config.measuredRuns(),
                config.timeBox().map(Duration::toMillis).orElse(0L) / 1000.0, config.runsPerBlock(), feed.kind(),
                feed.description(), config.seed());
    }

    private static Machine machine() {
        HostInfo host = HostInfo.current();
        return Machine.ofThisJvm(host.cpuModel().isEmpty() ? "unknown" : host.cpuModel(), host.usableCpus(),
                host.memoryTotalBytes(), OrtRunner.runtimeVersion());
    }

    private static void closeQuietly(OrtRunner session) {
        try {
            session.close();
        } catch (IllegalStateException e) {
            // closing frees native memory; a failure here cannot change any figure already measured
        }
    }
}
