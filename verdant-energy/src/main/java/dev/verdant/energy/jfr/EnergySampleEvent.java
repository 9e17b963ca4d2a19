package dev.verdant.energy.jfr;

import dev.verdant.energy.Component;
import dev.verdant.energy.Energy;
import dev.verdant.energy.EnergySample;
import dev.verdant.energy.Power;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The JFR event {@code dev.verdant.EnergySample}: one reading of a tracked run's sampling thread (cumulative energy
 * by component, power over the last interval, CO2e so far), committed at every sample while a recording has it
 * enabled. JDK Mission Control draws it over time beside the JVM's own CPU and GC events. Costs one check of a flag
 * when no recording is on.
 */
@Name(EnergySampleEvent.NAME)
@Label("Energy Sample")
@Category({"Verdant", "Energy"})
@Description("A tracked run's cumulative energy by component, its power over the last sampling interval and its "
        + "CO2e so far")
@StackTrace(false)
public final class EnergySampleEvent extends ComponentEnergyEvent {

    /** The event's name in a recording. */
    public static final String NAME = "dev.verdant.EnergySample";

    @Label("Run")
    String run;

    @Label("Run ID")
    String runId;

    @Label("CPU Power (W)")
    double cpuWatts;

    @Label("GPU Power (W)")
    double gpuWatts;

    @Label("RAM Power (W)")
    double ramWatts;

    @Label("CO2e (g)")
    @Description("Emissions so far: IT energy times PUE times the grid's intensity")
    double co2eGrams;

    /** Commits {@code sample} as an event when a recording has this event enabled; otherwise does nothing. */
    public static void emit(EnergySample sample) {
        EnergySampleEvent event = new EnergySampleEvent();
        if (!event.isEnabled()) {
            return;
        }
        event.run = sample.runName();
        event.runId = sample.runId();
        event.method = sample.method().label();
        event.cpuJoules = sample.cumulative().getOrDefault(Component.CPU, Energy.ZERO).joules();
        event.gpuJoules = sample.cumulative().getOrDefault(Component.GPU, Energy.ZERO).joules();
        event.ramJoules = sample.cumulative().getOrDefault(Component.RAM, Energy.ZERO).joules();
        event.itJoules = sample.itEnergy().joules();
        event.cpuWatts = watts(sample, Component.CPU);
        event.gpuWatts = watts(sample, Component.GPU);
        event.ramWatts = watts(sample, Component.RAM);
        event.co2eGrams = sample.emissions().grams();
        event.commit();
    }

    private static double watts(EnergySample sample, Component component) {
        Power power = sample.power().get(component);
        return power == null ? 0 : power.watts();
    }
}
