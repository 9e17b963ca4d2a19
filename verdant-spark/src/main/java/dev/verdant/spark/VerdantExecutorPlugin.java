package dev.verdant.spark;

import dev.verdant.energy.Component;
import dev.verdant.energy.Energy;
import dev.verdant.energy.EnergyReport;
import dev.verdant.energy.Tracker;
import dev.verdant.energy.TrackedRun;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verdant's tracker in one executor: it measures the executor JVM with the best meter the executor has (RAPL or
 * NVML, else the estimate, labelled as such) and sends its cumulative energy to the driver at every interval through
 * the plugin RPC, and once more, awaited, when the executor stops. A meter that cannot start or fails is reported
 * as such and never stops the executor's tasks.
 */
public final class VerdantExecutorPlugin implements ExecutorPlugin {

    /** The name of the thread that reports; the tracker's own sampling thread is {@code verdant-energy-<run>}. */
    static final String REPORTER_THREAD = "verdant-spark-reporter";

    private static final Logger LOG = LoggerFactory.getLogger(VerdantExecutorPlugin.class);

    private final Function<SparkEnergySettings, TrackedRun> runStarter;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private PluginContext context;
    private String host;
    private ScheduledExecutorService reporter;
    private TrackedRun run;
    private String runName;
    private long sequence;
    private long samplerThreadId = -1;
    private long reporterCpuNanos;
    private boolean failed;

    /** The plugin as Spark creates it: the tracker configured by the job's {@code spark.verdant.*} settings. */
    public VerdantExecutorPlugin() {
        this(settings -> Tracker.builder().config(settings.energy()).build()
                .startRun("spark-executor"));
    }

    /** A plugin whose tracker runs come from {@code runStarter} (tests give one whose meter fails). */
    VerdantExecutorPlugin(Function<SparkEnergySettings, TrackedRun> runStarter) {
        this.runStarter = runStarter;
    }

    @Override
    public void init(PluginContext ctx, Map<String, String> extraConf) {
        this.context = ctx;
        this.host = hostOf(ctx);
        SparkEnergySettings settings;
        try {
            settings = SparkEnergySettings.from(ctx.conf());
            run = runStarter.apply(settings);
            runName = run.name();
        } catch (RuntimeException e) {
            fail("the tracker could not start: " + message(e));
            return;
        }
        reporter = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, REPORTER_THREAD);
            thread.setDaemon(true);
            return thread;
        });
        long interval = settings.interval().toNanos();
        reporter.scheduleAtFixedRate(this::reportQuietly, interval, interval, TimeUnit.NANOSECONDS);
    }

    /** One interval's report; a failed send is retried by the next one, a failed meter ends the reporting. */
    private void reportQuietly() {
        ExecutorReport.Sample sample;
        try {
            sample = sample(false);
        } catch (RuntimeException e) {
            fail("the meter failed while reading: " + message(e));
            throw e;   // ends this scheduled task
        }
        try {
            context.send(sample);
        } catch (java.io.IOException | RuntimeException e) {
            // the driver is busy or gone for the moment: the next report carries the same cumulative figures
            LOG.debug("Verdant: a report did not reach the driver: {}", e.toString());
        }
    }

    private synchronized ExecutorReport.Sample sample(boolean last) {
        if (failed || run == null) {
            throw new IllegalStateException("no measurement");
        }
        Map<Component, Energy> energy;
        EnergyReport finalReport = null;
        if (last) {
            finalReport = run.stop();
            energy = finalReport.energy();
        } else {
            energy = run.energySoFar();
        }
        Map<String, Double> joules = new LinkedHashMap<>();
        energy.forEach((component, e) -> joules.put(component.label(), e.joules()));
        Map<String, String> methods = new LinkedHashMap<>();
        String trackingMode;
        List<String> assumptions;
        if (finalReport != null) {
            finalReport.methods().forEach((component, method) -> methods.put(component.label(), method.label()));
            trackingMode = finalReport.trackingMode();
            assumptions = finalReport.assumptions();
        } else {
            energy.keySet().forEach(component -> methods.put(component.label(), run.method().label()));
            trackingMode = run.method() == dev.verdant.energy.Method.ESTIMATED ? "process" : "machine";
            assumptions = List.of();
        }
        if (Thread.currentThread().getName().equals(REPORTER_THREAD)) {
            reporterCpuNanos = threads.getCurrentThreadCpuTime();
        }
        return new ExecutorReport.Sample(context.executorID(), host, ProcessHandle.current().pid(),
                ++sequence, run.elapsed().toNanos(), joules, methods, run.meterDescription(), trackingMode, assumptions,
                reporterCpuNanos + samplerCpuNanos(), processCpuNanos(), last);
    }

    /** CPU time of the tracker's sampling thread, found once by its name. */
    private long samplerCpuNanos() {
        if (samplerThreadId < 0) {
            String name = "verdant-energy-" + runName;
            for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (info != null && info.getThreadName().equals(name)) {
                    samplerThreadId = info.getThreadId();
                }
            }
        }
        long nanos = samplerThreadId < 0 ? -1 : threads.getThreadCpuTime(samplerThreadId);
        return Math.max(nanos, 0);
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(os.getProcessCpuTime(), 0);
        }
        return 0;
    }

    private synchronized void fail(String reason) {
        if (failed) {
            return;
        }
        failed = true;
        LOG.warn("Verdant: executor {} is not measured: {}", context.executorID(), reason);
        if (run != null) {
            try {
                run.close();
            } catch (RuntimeException ignored) {
                // the meter is already broken; closing it is best effort
            }
        }
        try {
            context.send(new ExecutorReport.Unmeasured(context.executorID(), host,
                    ProcessHandle.current().pid(), reason));
        } catch (java.io.IOException | RuntimeException e) {
            // the driver learns nothing from this executor then, and lists it as silent, never as zero
            LOG.warn("Verdant: cannot tell the driver that executor {} is not measured: {}", context.executorID(),
                    e.toString());
        }
    }

    /** Stops reporting and sends the final report, waiting for the driver to take it. */
    @Override
    public void shutdown() {
        if (reporter != null) {
            reporter.shutdownNow();
            try {
                reporter.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ExecutorReport.Sample last;
        try {
            last = sample(true);
        } catch (IllegalStateException e) {
            return;   // never measured, or already reported as unmeasured
        } catch (RuntimeException e) {
            fail("the meter failed at the end: " + message(e));
            return;
        }
        try {
            context.ask(last);
        } catch (Exception e) {
            // the driver stopped first: it keeps this executor's last interval report
            LOG.info("Verdant: executor {}'s last report did not reach the driver ({}); it keeps the one before",
                    context.executorID(), e.toString());
        }
    }

    /**
     * The executor's host. {@link PluginContext#hostname()} reads the executor's RPC address, which an executor
     * whose RPC environment is client-only (standalone, YARN, Kubernetes) does not have; Spark's block manager
     * knows the host there.
     */
    private static String hostOf(PluginContext ctx) {
        try {
            return ctx.hostname();
        } catch (RuntimeException e) {
            org.apache.spark.SparkEnv env = org.apache.spark.SparkEnv.get();
            if (env != null && env.blockManager() != null && env.blockManager().blockManagerId() != null) {
                return env.blockManager().blockManagerId().host();
            }
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException unknown) {
                return "unknown";
            }
        }
    }

    private static String message(Throwable e) {
        String text = e.getMessage();
        return text == null || text.isBlank() ? e.getClass().getSimpleName() : text.lines().findFirst().orElse(text);
    }
}
