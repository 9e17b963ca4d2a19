package dev.verdant.spark;

import dev.verdant.energy.Component;
import dev.verdant.energy.EnergyReport;
import dev.verdant.energy.Tracker;
import dev.verdant.energy.TrackedRun;
import dev.verdant.energy.carbon.CarbonContext;
import dev.verdant.energy.sink.CsvSink;
import dev.verdant.io.AtomicFiles;
import dev.verdant.io.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.SparkContext;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's side of {@link VerdantPlugin}: it measures the driver JVM, takes the executors' reports from the
 * plugin RPC, listens to tasks and jobs, publishes the figures as Spark metrics, writes {@code spark-energy.json}
 * after every job (so a failed job's energy up to the failure is on disk) and, when the application stops,
 * {@code spark-energy.json} and one row of {@code emissions.csv}.
 */
public final class VerdantDriverPlugin implements DriverPlugin {

    /** The file with per-executor, per-stage and per-job energy. */
    public static final String JSON_FILE = "spark-energy.json";

    private static final Logger LOG = LoggerFactory.getLogger(VerdantDriverPlugin.class);
    private static final long REPORT_CACHE_NANOS = 500_000_000L;

    private final EnergyLedger ledger = new EnergyLedger();
    private SparkContext sparkContext;
    private SparkEnergySettings settings;
    private CarbonContext carbon;
    private TrackedRun driverRun;
    private String driverFailure = "";
    private EnergyReport driverFinal;
    private Instant startedAt;
    private long startNanos;
    private String host;
    private String appId = "";
    private EnergyMetrics metrics;
    private SparkEnergyReport cached;
    private long cachedAtNanos;
    private boolean stopped;

    /**
     * Reads the {@code spark.verdant.*} settings, checks the output folder and starts the driver's tracker.
     *
     * @throws IllegalArgumentException for a bad setting or an output folder that cannot be written, naming it:
     *                                  the application does not start on a configuration that would lose its figures
     */
    @Override
    public Map<String, String> init(SparkContext sc, PluginContext ctx) {
        this.sparkContext = sc;
        this.settings = SparkEnergySettings.from(sc.getConf());
        try {
            new CsvSink(settings.outputDir()).checkWritable();
        } catch (java.io.UncheckedIOException e) {
            throw new IllegalArgumentException("spark.verdant.out: " + e.getMessage(), e);
        }
        this.carbon = CarbonContext.resolve(settings.energy());
        this.startedAt = Instant.now();
        this.startNanos = System.nanoTime();
        this.host = ctx.hostname();
        try {
            driverRun = Tracker.builder().config(settings.energy()).build().startRun("spark-driver");
        } catch (RuntimeException e) {
            driverFailure = "the tracker could not start: " + e.getMessage();
            LOG.warn("Verdant: the driver is not measured: {}", driverFailure);
        }
        sc.addSparkListener(new StageCpuListener(ledger, this::writeSnapshot));
        return Map.of();
    }

    @Override
    public void registerMetrics(String applicationId, PluginContext ctx) {
        this.appId = applicationId;
        this.metrics = new EnergyMetrics(ctx.metricRegistry(), this::report);
    }

    /**
     * An executor's report: recorded; the final one, which the executor asks (awaits), is answered, the interval
     * reports, which it sends one way, are not.
     */
    @Override
    public Object receive(Object message) {
        if (message instanceof ExecutorReport report) {
            ledger.record(report);
            if (metrics != null) {
                metrics.addNew(report());
            }
            return report instanceof ExecutorReport.Sample sample && sample.last() ? Boolean.TRUE : null;
        }
        throw new IllegalArgumentException("Verdant's driver plugin takes executor reports, not "
                + (message == null ? "null" : message.getClass().getName()));
    }

    /** Waits (up to {@code spark.verdant.finalWaitMs}) for the executors' last reports, then writes both files. */
    @Override
    public void shutdown() {
        long deadline = System.nanoTime() + settings.finalWait().toNanos();
        while (System.nanoTime() < deadline && !allFinished()) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        SparkEnergyReport report;
        synchronized (this) {
            stopped = true;
            if (driverRun != null) {
                try {
                    driverFinal = driverRun.stop();
                } catch (RuntimeException e) {
                    driverFailure = "the tracker failed at the end: " + e.getMessage();
                    driverRun = null;
                }
            }
            cached = null;
            report = report();
        }
        if (metrics != null) {
            metrics.addNew(report);
        }
        try {
            write(report);
            EnergyReport.Hardware hardware = driverFinal != null ? driverFinal.hardware()
                    : new EnergyReport.Hardware("unknown", Runtime.getRuntime().availableProcessors(), 0, "", 0);
            new CsvSink(settings.outputDir(), appId).onReport(report.codeCarbonReport(hardware));
            LOG.info("Verdant: {} of energy ({}), {}; written to {}", report.codeCarbonReport(hardware)
                    .totalEnergy(), report.method().label(), report.codeCarbonReport(hardware).emissions(),
                    settings.outputDir());
        } catch (RuntimeException e) {
            LOG.error("Verdant: cannot write the application's energy to {}: {}", settings.outputDir(), e.getMessage());
        }
    }

    private boolean allFinished() {
        EnergyLedger.Snapshot snapshot = ledger.snapshot();
        Set<String> executors = new TreeSet<>(snapshot.seen().keySet());
        return executors.stream().allMatch(ledger::finished);
    }

    /** After every job: the figures so far, so a job that fails leaves its energy up to the failure on disk. */
    private void writeSnapshot() {
        try {
            SparkEnergyReport report;
            synchronized (this) {
                cached = null;   // the job's end is news: never write a cached report from before it
                report = report();
            }
            if (metrics != null) {
                metrics.addNew(report);
            }
            write(report);
        } catch (RuntimeException e) {
            LOG.warn("Verdant: cannot write {} to {}: {}", JSON_FILE, settings.outputDir(), e.getMessage());
        }
    }

    private void write(SparkEnergyReport report) {
        Path file = settings.outputDir().resolve(JSON_FILE);
        AtomicFiles.write(file, (Json.write(report.toJson()) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The figures now (cached for half a second, as Spark's sinks read every gauge in one go). */
    synchronized SparkEnergyReport report() {
        long now = System.nanoTime();
        if (cached != null && now - cachedAtNanos < REPORT_CACHE_NANOS) {
            return cached;
        }
        EnergyLedger.Snapshot snapshot = ledger.snapshot();
        long pid = ProcessHandle.current().pid();
        ProcessEnergy driver;
        Duration duration = driverFinal != null ? driverFinal.duration() : Duration.ofNanos(now - startNanos);
        if (driverFinal != null) {
            driver = new ProcessEnergy("driver", "driver", host, pid, "measured", "", labels(driverFinal.energy()),
                    driverFinal.method().label(), meters(driverFinal), driverFinal.trackingMode(),
                    driverFinal.durationSeconds(), true, driverFinal.assumptions(), -1, -1);
        } else if (driverRun != null) {
            driver = new ProcessEnergy("driver", "driver", host, pid, "measured", "", labels(driverRun.energySoFar()),
                    driverRun.method().label(), driverRun.meterDescription(),
                    driverRun.method() == dev.verdant.energy.Method.ESTIMATED ? "process" : "machine",
                    driverRun.elapsed().toNanos() / 1e9, false, List.of(), -1, -1);
        } else {
            driver = ProcessEnergy.unmeasured("driver", "driver", host, pid, "unmeasured", driverFailure);
        }
        Set<String> ids = new TreeSet<>(snapshot.seen().keySet());
        ids.addAll(snapshot.samples().keySet());
        ids.addAll(snapshot.unmeasured().keySet());
        List<ProcessEnergy> executors = new ArrayList<>();
        for (String id : ids) {
            ExecutorReport.Sample sample = snapshot.samples().get(id);
            ExecutorReport.Unmeasured failure = snapshot.unmeasured().get(id);
            if (failure != null) {
                executors.add(ProcessEnergy.unmeasured("executor", id, failure.host(), failure.pid(), "unmeasured",
                        failure.reason()));
            } else if (sample != null) {
                executors.add(ProcessEnergy.of(sample));
            } else {
                executors.add(ProcessEnergy.unmeasured("executor", id, snapshot.seen().getOrDefault(id, ""), -1,
                        "silent", "it never reported: its plugin did not start, or its reports did not reach the "
                                + "driver"));
            }
        }
        String appName = sparkContext.appName();
        String id = appId.isEmpty() ? sparkContext.applicationId() : appId;
        String runId = driverRun != null ? driverRun.runId() : java.util.UUID.nameUUIDFromBytes(id.getBytes(
                StandardCharsets.UTF_8)).toString();
        cached = new SparkEnergyReport(id, appName, settings.energy().project(), runId, startedAt, duration, carbon,
                driver, executors, snapshot, stopped);
        cachedAtNanos = now;
        return cached;
    }

    private static Map<String, Double> labels(Map<Component, dev.verdant.energy.Energy> energy) {
        Map<String, Double> joules = new LinkedHashMap<>();
        energy.forEach((component, e) -> joules.put(component.label(), e.joules()));
        return joules;
    }

    private String meters(EnergyReport report) {
        return driverRun != null ? driverRun.meterDescription() : report.trackingMode();
    }
}
