package dev.verdant.energy;

import dev.verdant.energy.carbon.CarbonContext;
import dev.verdant.energy.carbon.GridIntensity;
import dev.verdant.energy.meter.CpuPowerTable;
import dev.verdant.energy.meter.HostInfo;
import dev.verdant.energy.meter.ProcessTree;
import dev.verdant.energy.sink.EnergySink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * Measures the energy and emissions of work on the JVM: one tracker, three ways in.
 *
 * <pre>{@code
 * try (TrackedRun run = Tracker.start("train")) {     // 1. a scope
 *     ...
 *     EnergyReport report = run.stop();
 * }
 * Measured<Model> m = Tracker.measure("fit", () -> fit());   // 2. a wrapper around a task
 * Tracker tracker = Tracker.builder().config(config).sink(new CsvSink(dir)).build();   // 3. configured, reusable
 * }</pre>
 *
 * <p>A tracker is immutable and thread-safe; each run opens its own meters and one daemon sampling thread. The
 * carbon intensity and PUE are resolved when the tracker is built, so a bad location fails before any work runs.
 */
public final class Tracker {

    private final TrackerSettings settings;

    private Tracker(Builder builder) {
        CarbonContext carbon = CarbonContext.resolve(builder.config);
        this.settings = new TrackerSettings(builder.config, List.copyOf(builder.sinks), carbon.grid(), carbon.pue(),
                carbon.assumptions(), builder.nvmlLoader, builder.host != null ? builder.host : HostInfo.current(),
                CpuPowerTable.builtIn());
    }

    /** A builder with the configuration loaded from the environment and files, and no sinks. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts measuring this JVM (and any process it starts) under the layered configuration. */
    public static TrackedRun start(String name) {
        return builder().build().startRun(name);
    }

    /**
     * Runs {@code task} under a fresh tracker and returns its value with the energy report.
     *
     * @throws Exception what the task throws, after the run has been stopped
     */
    public static <T> Measured<T> measure(String name, Callable<T> task) throws Exception {
        return builder().build().measureTask(name, task);
    }

    /** Starts measuring this JVM and its child processes. */
    public TrackedRun startRun(String name) {
        return new TrackedRun(settings, name, ProcessTree.ofCurrentProcess(), false);
    }

    /**
     * Starts measuring a process this JVM launched, with its descendants (the {@code verdant track} case). The run
     * counts from the process's own start, so the moments between launching it and calling this are not lost.
     */
    public TrackedRun startProcess(String name, ProcessHandle child) {
        Objects.requireNonNull(child, "child");
        Instant now = Instant.now();
        long nowNanos = System.nanoTime();
        Instant started = child.info().startInstant().filter(s -> !s.isAfter(now)).orElse(now);
        // the kernel dates a process start in clock ticks; never reach back more than a second for it
        Duration since = Duration.between(started, now);
        if (since.compareTo(Duration.ofSeconds(1)) > 0) {
            since = Duration.ZERO;
            started = now;
        }
        return new TrackedRun(settings, name, ProcessTree.ofChild(child), true, started, nowNanos - since.toNanos());
    }

    /** Runs a task under this tracker, stopping the run whether it returns or throws. */
    public <T> Measured<T> measureTask(String name, Callable<T> task) throws Exception {
        T value;
        EnergyReport report;
        try (TrackedRun run = startRun(name)) {
            value = task.call();
            report = run.stop();
        }
        return new Measured<>(value, report);
    }

    public EnergyConfig config() {
        return settings.config();
    }

    public GridIntensity grid() {
        return settings.grid();
    }

    public double pue() {
        return settings.pue();
    }

    /** Builds a {@link Tracker}: {@code config} and sinks optional. */
    public static final class Builder {
        private EnergyConfig config;
        private final List<EnergySink> sinks = new ArrayList<>();
        private MeterSelection.NvmlLoader nvmlLoader = MeterSelection.REAL_NVML;
        private HostInfo host;

        private Builder() {
        }

        /** Uses this configuration instead of the layered one. */
        public Builder config(EnergyConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** Adds a sink that receives samples and the final report. */
        public Builder sink(EnergySink sink) {
            sinks.add(Objects.requireNonNull(sink, "sink"));
            return this;
        }

        /** Describes the machine instead of reading {@code /proc} (tests, or a model of another machine). */
        public Builder host(HostInfo host) {
            this.host = host;
            return this;
        }

        Builder nvmlLoader(MeterSelection.NvmlLoader loader) {
            this.nvmlLoader = loader;
            return this;
        }

        /**
         * Resolves the carbon intensity and PUE and builds the tracker.
         *
         * @throws IllegalArgumentException for an unknown country or region
         */
        public Tracker build() {
            if (config == null) {
                config = EnergyConfig.fromEnvironment();
            }
            return new Tracker(this);
        }
    }
}
