package dev.verdant.energy.sink;

import dev.verdant.energy.EnergyReport;
import dev.verdant.energy.EnergySample;

/**
 * A sink whose metrics read a {@link LiveFigures}: it hands every sample, task and report to them. The metrics views
 * (Prometheus, Micrometer, OpenTelemetry) are such sinks.
 */
public interface FiguresSink extends EnergySink {

    /** The figures the metrics read. */
    LiveFigures figures();

    @Override
    default void onSample(EnergySample sample) {
        figures().onSample(sample);
    }

    @Override
    default void onTask(String runName, EnergyReport task) {
        figures().onTask(runName, task);
    }

    @Override
    default void onReport(EnergyReport report) {
        figures().onReport(report);
    }
}
