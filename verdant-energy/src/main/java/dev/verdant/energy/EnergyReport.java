package dev.verdant.energy;

import dev.verdant.energy.carbon.GridIntensity;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a tracked run used: energy by component, facility energy (times PUE), CO2e, duration, how each figure was
 * obtained and every assumption behind it. Component figures are IT energy; {@link #totalEnergy()} includes the
 * data centre's overhead through the PUE, and emissions are computed from that total.
 *
 * @param name         the run or task name
 * @param project      the project name from the configuration
 * @param runId        a random UUID identifying the run
 * @param startedAt    when measurement began
 * @param duration     wall-clock time measured
 * @param energy       IT energy per component measured or estimated (components absent here were not measured)
 * @param methods      for each component in {@code energy}, whether it was measured or estimated
 * @param resolutions  for each component in {@code energy}, the least work its meter registers, in words
 * @param pue          power usage effectiveness applied, at least 1
 * @param grid         the carbon intensity applied and its source
 * @param hardware     what was found on the machine
 * @param trackingMode {@code machine} when a hardware counter covers the whole machine, {@code process} when only
 *                     the process tree is charged
 * @param assumptions  every assumption, in plain sentences
 * @param tasks        named sub-tasks, in the order they ended
 */
public record EnergyReport(String name, String project, String runId, Instant startedAt, Duration duration,
                           Map<Component, Energy> energy, Map<Component, Method> methods,
                           Map<Component, String> resolutions, double pue,
                           GridIntensity grid, Hardware hardware, String trackingMode, List<String> assumptions,
                           List<EnergyReport> tasks) {

    /**
     * The machine the run used.
     *
     * @param cpuModel          CPU model as reported, or as matched in the CPU table
     * @param cpuCount          logical CPUs usable by the process
     * @param gpuCount          GPUs counted (visible ones only)
     * @param gpuModel          their names, comma-separated, empty when none
     * @param ramTotalGigabytes installed RAM in GB (10^9 bytes)
     */
    public record Hardware(String cpuModel, int cpuCount, int gpuCount, String gpuModel, double ramTotalGigabytes) {
    }

    public EnergyReport {
        EnumMap<Component, Energy> sortedEnergy = new EnumMap<>(Component.class);
        sortedEnergy.putAll(energy);
        energy = java.util.Collections.unmodifiableMap(sortedEnergy);
        EnumMap<Component, Method> sortedMethods = new EnumMap<>(Component.class);
        sortedMethods.putAll(methods);
        methods = java.util.Collections.unmodifiableMap(sortedMethods);
        EnumMap<Component, String> sortedResolutions = new EnumMap<>(Component.class);
        sortedResolutions.putAll(resolutions);
        resolutions = java.util.Collections.unmodifiableMap(sortedResolutions);
        assumptions = List.copyOf(assumptions);
        tasks = List.copyOf(tasks);
    }

    /** Energy of one component, zero when it was not measured. */
    public Energy energy(Component component) {
        return energy.getOrDefault(component, Energy.ZERO);
    }

    /** IT energy of all components, before PUE. */
    public Energy itEnergy() {
        return energy.values().stream().reduce(Energy.ZERO, Energy::plus);
    }

    /** Facility energy: IT energy times PUE. */
    public Energy totalEnergy() {
        return itEnergy().times(pue);
    }

    /**
     * Whether the meters registered nothing: every component read zero, as a run shorter than their resolution
     * (one CPU tick for the estimate) does. Zero is then no measurement of what the run used.
     */
    public boolean belowResolution() {
        return !energy.isEmpty() && itEnergy().joules() == 0;
    }

    /**
     * The total energy for people to read: {@code 1.25 kJ}, or {@code below the meter's resolution (one 10 ms CPU
     * tick)} when the meters registered nothing, rather than a {@code 0 J} that reads like a measurement.
     */
    public String totalEnergyText() {
        if (!belowResolution()) {
            return totalEnergy().toString();
        }
        return "below the meter's resolution (" + String.join("; ", new java.util.LinkedHashSet<>(resolutions.values()))
                + ")";
    }

    /** Emissions of the facility energy on the applied grid. */
    public Co2e emissions() {
        return grid.intensity().emissionsOf(totalEnergy());
    }

    /** Average power of one component over the run. */
    public Power averagePower(Component component) {
        return Power.averageOf(energy(component), duration.toNanos() / 1e9);
    }

    /** Estimated if any component was estimated, measured otherwise. */
    public Method method() {
        return methods.values().stream().reduce(Method.MEASURED, Method::and);
    }

    public double durationSeconds() {
        return duration.toNanos() / 1e9;
    }
}
