package dev.verdant.energy;

import dev.verdant.energy.jfr.JfrEvents;
import dev.verdant.energy.jfr.TrackedTaskEvent;
import dev.verdant.energy.meter.Meter;
import dev.verdant.energy.meter.ProcessTree;
import dev.verdant.energy.sink.EnergySink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One measurement in progress: meters open, a daemon thread reading them at the configured interval. Stop it
 * with {@link #stop()} (which returns the report and hands it to the sinks) or by closing it. Thread-safe; stop is
 * idempotent and returns the same report every time.
 */
public final class TrackedRun implements AutoCloseable {

    private final TrackerSettings tracker;
    private final String name;
    private final String runId = newRunId();
    private final Instant startedAt;
    private final long startNanos;
    private final MeterSelection selection;
    private final ScheduledExecutorService sampler;
    private final List<EnergyReport> finishedTasks = new ArrayList<>();
    private final Map<Component, Method> methods;
    private final TrackedTaskEvent event = JfrEvents.beginTask();
    private Map<Component, Energy> lastCumulative;
    private long lastSampleNanos;
    private EnergyReport report;

    TrackedRun(TrackerSettings tracker, String name, ProcessTree scope, boolean countSinceProcessStart) {
        this(tracker, name, scope, countSinceProcessStart, Instant.now(), System.nanoTime());
    }

    /**
     * A run that began at {@code startedAt} (for a command launched just before the tracker, its own start time),
     * with {@code startNanos} the matching reading of {@link System#nanoTime()}.
     */
    TrackedRun(TrackerSettings tracker, String name, ProcessTree scope, boolean countSinceProcessStart, Instant startedAt,
               long startNanos) {
        this.tracker = tracker;
        this.name = Objects.requireNonNull(name, "name");
        this.startedAt = startedAt;
        this.startNanos = startNanos;
        this.selection = MeterSelection.open(tracker.config(), scope, countSinceProcessStart, tracker.host(),
                tracker.cpuPowerTable(), tracker.nvmlLoader(), System.getenv("CUDA_VISIBLE_DEVICES"), System::nanoTime);
        this.methods = methodsOf(selection.meters());
        this.lastCumulative = new EnumMap<>(Component.class);
        this.lastSampleNanos = startNanos;
        this.sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "verdant-energy-" + name);
            thread.setDaemon(true);
            return thread;
        });
        long interval = tracker.config().sampleInterval().toNanos();
        sampler.scheduleAtFixedRate(this::sample, interval, interval, TimeUnit.NANOSECONDS);
    }

    public String name() {
        return name;
    }

    /**
     * A version-4 UUID, as CodeCarbon's run_id, from a non-cryptographic generator: UUID.randomUUID seeds
     * SecureRandom on first use, about 10 ms of a cold start, and a run id needs no secrecy.
     */
    private static String newRunId() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    public String runId() {
        return runId;
    }

    /** Time since the run started. */
    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** Reads every meter: cumulative energy per component since the start. */
    private Map<Component, Energy> readMeters() {
        Map<Component, Energy> total = new EnumMap<>(Component.class);
        for (Meter meter : selection.meters()) {
            meter.read().forEach((component, energy) -> total.merge(component, energy, Energy::plus));
        }
        return total;
    }

    /** The sampling thread's work: read, derive power over the interval, tell live sinks. */
    private void sample() {
        try {
            EnergySample sample;
            synchronized (this) {
                if (report != null) {
                    return;
                }
                long now = System.nanoTime();
                Map<Component, Energy> cumulative = readMeters();
                double seconds = (now - lastSampleNanos) / 1e9;
                Map<Component, Power> power = new EnumMap<>(Component.class);
                for (Map.Entry<Component, Energy> entry : cumulative.entrySet()) {
                    Energy before = lastCumulative.getOrDefault(entry.getKey(), Energy.ZERO);
                    power.put(entry.getKey(), Power.averageOf(entry.getValue().minus(before), seconds));
                }
                lastCumulative = cumulative;
                lastSampleNanos = now;
                Energy facility = cumulative.values().stream().reduce(Energy.ZERO, Energy::plus).times(tracker.pue());
                sample = new EnergySample(name, Instant.now(), Duration.ofNanos(now - startNanos), cumulative, power,
                        tracker.grid().intensity().emissionsOf(facility), methods, runId);
            }
            JfrEvents.sample(sample);
            for (EnergySink sink : tracker.sinks()) {
                sink.onSample(sample);
            }
        } catch (RuntimeException e) {
            // a failed sample must not kill the scheduler: the next one, and stop(), read the counters again
        }
    }

    private static Map<Component, Method> methodsOf(List<Meter> meters) {
        Map<Component, Method> byComponent = new EnumMap<>(Component.class);
        for (Meter meter : meters) {
            for (Component component : meter.components()) {
                byComponent.put(component, meter.method());
            }
        }
        return byComponent;
    }

    /** Cumulative energy per component now, without stopping. */
    public synchronized Map<Component, Energy> energySoFar() {
        return report != null ? report.energy() : readMeters();
    }

    /** IT energy of all components so far (before PUE), for callers that only need one figure. */
    public Energy itEnergySoFar() {
        return energySoFar().values().stream().reduce(Energy.ZERO, Energy::plus);
    }

    /** Estimated if any meter of this run estimates, measured otherwise. */
    public Method method() {
        return selection.meters().stream().map(Meter::method).reduce(Method.MEASURED, Method::and);
    }

    /** The meters in use and what each covers, e.g. {@code rapl (cpu, ram) + nvml (gpu)}. */
    public String meterDescription() {
        return String.join(" + ", selection.meters().stream().map(m -> m.name() + " " + m.components().stream()
                .map(Component::label).sorted().toList().toString().replace('[', '(').replace(']', ')')).toList());
    }

    /**
     * Starts a named sub-task; its report covers the energy between this call and its {@code stop()}, and it is
     * listed in the run's report.
     */
    public TrackedTask task(String taskName) {
        return new TrackedTask(this::finishTask, taskName, energySoFar(), Instant.now(), System.nanoTime(),
                JfrEvents.beginTask());
    }

    synchronized EnergyReport finishTask(String taskName, Map<Component, Energy> atStart, Instant taskStart,
                                         long taskStartNanos, TrackedTaskEvent taskEvent) {
        Map<Component, Energy> now = energySoFar();
        Map<Component, Energy> used = new EnumMap<>(Component.class);
        now.forEach((component, energy) -> used.put(component, energy.minus(atStart.getOrDefault(component, Energy.ZERO))));
        EnergyReport taskReport = build(taskName, taskStart, Duration.ofNanos(System.nanoTime() - taskStartNanos), used,
                List.of());
        JfrEvents.finishTask(taskEvent, "task", name, taskReport);
        if (report == null) {
            finishedTasks.add(taskReport);
        }
        tellEverySink(sink -> sink.onTask(name, taskReport));
        return taskReport;
    }

    /**
     * Stops measuring, closes the meters, hands the report to the sinks and returns it. Calling it again returns
     * the same report.
     *
     * @throws java.io.UncheckedIOException when a sink cannot write (after every other sink had the report); the
     *                                      report is complete all the same, and a second call returns it
     */
    public EnergyReport stop() {
        // Sinks run under the lock: a second caller (a shutdown hook racing the main thread) returns only once
        // the report is written, so the JVM cannot exit between "stopped" and "written".
        synchronized (this) {
            if (report != null) {
                return report;
            }
            sampler.shutdownNow();
            Map<Component, Energy> energy = readMeters();
            Duration duration = Duration.ofNanos(System.nanoTime() - startNanos);
            report = build(name, startedAt, duration, energy, finishedTasks);
            for (Meter meter : selection.meters()) {
                meter.close();
            }
            JfrEvents.finishTask(event, "run", name, report); // before the sinks, so that a recording they write holds it
            EnergyReport finished = report;
            tellEverySink(sink -> sink.onReport(finished));
            return report;
        }
    }

    /** Every sink is told even when one fails (cannot write); the first failure is thrown after them all. */
    private void tellEverySink(java.util.function.Consumer<EnergySink> tell) {
        RuntimeException failure = null;
        for (EnergySink sink : tracker.sinks()) {
            try {
                tell.accept(sink);
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private EnergyReport build(String reportName, Instant start, Duration duration, Map<Component, Energy> energy,
                               List<EnergyReport> tasks) {
        Map<Component, String> resolutions = new EnumMap<>(Component.class);
        List<String> assumptions = new ArrayList<>();
        boolean processScope = true;
        for (Meter meter : selection.meters()) {
            for (Component component : meter.components()) {
                resolutions.put(component, meter.resolution());
            }
            processScope &= meter.method() == Method.ESTIMATED;
            assumptions.addAll(meter.assumptions());
        }
        assumptions.addAll(selection.notes());
        assumptions.addAll(tracker.carbonNotes());
        return new EnergyReport(reportName, tracker.config().project(), runId, start, duration, energy, methods,
                resolutions, tracker.pue(), tracker.grid(), selection.hardware(), processScope ? "process" : "machine", assumptions,
                tasks);
    }

    /** Stops the run if still going; the report goes to the sinks. */
    @Override
    public void close() {
        stop();
    }
}
