package dev.verdant.energy;

import dev.verdant.energy.jfr.TrackedTaskEvent;
import java.time.Instant;
import java.util.Map;

/**
 * A named slice of a {@link TrackedRun} (an epoch, a phase): its report covers the energy between its start and
 * {@link #stop()}. Stopping twice returns the first report.
 */
public final class TrackedTask implements AutoCloseable {

    private final Finisher run;
    private final String name;
    private final Map<Component, Energy> atStart;
    private final Instant startedAt;
    private final long startNanos;
    private final TrackedTaskEvent event;
    private EnergyReport report;

    TrackedTask(Finisher run, String name, Map<Component, Energy> atStart, Instant startedAt, long startNanos,
                TrackedTaskEvent event) {
        this.run = run;
        this.name = name;
        this.atStart = Map.copyOf(atStart);
        this.startedAt = startedAt;
        this.startNanos = startNanos;
        this.event = event;
    }

    public String name() {
        return name;
    }

    /** Ends the task and returns what it used. */
    public synchronized EnergyReport stop() {
        if (report == null) {
            report = run.finish(name, atStart, startedAt, startNanos, event);
        }
        return report;
    }

    @Override
    public void close() {
        stop();
    }

    /** How the run this task belongs to reports the energy between the task's start and now. */
    @FunctionalInterface
    interface Finisher {
        EnergyReport finish(String name, Map<Component, Energy> atStart, Instant startedAt, long startNanos,
                            TrackedTaskEvent event);
    }
}
