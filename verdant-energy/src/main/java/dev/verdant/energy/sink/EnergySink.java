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

    /** The final report of a run. */
    void onReport(EnergyReport report);
}
