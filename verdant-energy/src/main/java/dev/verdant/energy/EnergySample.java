package dev.verdant.energy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * One reading of the sampling thread: cumulative IT energy per component since the run started and the power
 * over the last interval, for live sinks (Prometheus gauges, logs).
 *
 * @param runName    the run sampled
 * @param time       when the sample was taken
 * @param elapsed    time since the run started
 * @param cumulative energy per component since the start
 * @param power      average power per component over the last interval
 * @param emissions  emissions of the cumulative energy so far, with PUE and grid intensity applied
 * @param methods    for each component, whether its meter measures or estimates
 * @param runId      the id of the run sampled, as in its report
 */
public record EnergySample(String runName, Instant time, Duration elapsed, Map<Component, Energy> cumulative,
                           Map<Component, Power> power, Co2e emissions, Map<Component, Method> methods,
                           String runId) {

    public EnergySample {
        cumulative = Map.copyOf(cumulative);
        power = Map.copyOf(power);
        methods = Map.copyOf(methods);
    }

    /** Estimated if any component was estimated, measured otherwise. */
    public Method method() {
        return methods.values().stream().reduce(Method.MEASURED, Method::and);
    }

    /** IT energy of all components so far, before PUE. */
    public Energy itEnergy() {
        return cumulative.values().stream().reduce(Energy.ZERO, Energy::plus);
    }
}
