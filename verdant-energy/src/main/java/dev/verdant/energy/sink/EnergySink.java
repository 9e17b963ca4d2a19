package dev.verdant.energy.sink;

import dev.verdant.energy.EnergyReport;
import dev.verdant.energy.EnergySample;

/**
 * Where a tracker sends its figures: every sample while a run goes (for live sinks such as Prometheus) and the
 * report when it ends (CSV, JSON, log). Implementations must be thread-safe; a sink that fails to write throws an
 * {@link java.io.UncheckedIOException} with the file and the reason.
 */
public interface EnergySink {

    /** A reading of the sampling thread; ignored by default. */
    default void onSample(EnergySample sample) {
    }

    /**
     * The report of a named task of run {@code runName}, when the task stops (it is in the run's report's tasks as
     * well); ignored by default.
     */
    default void onTask(String runName, EnergyReport task) {
    }

    /** The final report of a run. */
    void onReport(EnergyReport report);
}
