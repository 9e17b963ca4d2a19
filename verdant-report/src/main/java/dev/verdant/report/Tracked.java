package dev.verdant.report;

import java.util.List;
import java.util.Map;

/**
 * What {@code verdant track} measured of one command: the typed part of a {@link Result} of kind
 * {@value Result#TRACK}. The energy of each component (IT energy), the facility total (times the PUE in the result's
 * {@link EnergyBasis}), its CO2e, the grid applied and the GPUs found; the run's time, the machine and how the figures
 * were obtained are the result's.
 *
 * @param command         the command tracked and its arguments
 * @param exitCode        the command's exit code
 * @param name            the run's name (the command's file name)
 * @param project         the project name from the configuration
 * @param runId           a random UUID identifying the run
 * @param trackingMode    {@code machine} when a hardware counter covers the whole machine, {@code process} when only
 *                        the process tree is charged
 * @param components      IT energy per component measured or estimated, by component label ({@code cpu}, ...)
 * @param itEnergyKwh     IT energy of all components, before PUE
 * @param energyKwh       facility energy: IT energy times PUE
 * @param energyJ         the same in joules
 * @param belowResolution whether every meter read zero (a run shorter than their resolution)
 * @param co2eKg          emissions of the facility energy on the applied grid
 * @param grid            the carbon intensity's region and source (its value is the energy basis's)
 * @param gpuCount        GPUs counted (visible ones only)
 * @param gpuModel        their names, comma-separated, empty when none
 * @param tasks           named sub-tasks, in the order they ended
 * @param csv             the CSV file the run's row was appended to
 * @param json            the JSON file the run was written to
 */
public record Tracked(List<String> command, int exitCode, String name, String project, String runId,
                      String trackingMode, Map<String, ComponentEnergy> components, double itEnergyKwh,
                      double energyKwh, double energyJ, boolean belowResolution, double co2eKg, Grid grid,
                      int gpuCount, String gpuModel, List<Task> tasks, String csv, String json) {

    public Tracked {
        command = command == null ? List.of() : List.copyOf(command);
        components = components == null ? Map.of() : java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(components));
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
    }

    /**
     * One component's energy.
     *
     * @param energyJ       IT energy in joules
     * @param energyKwh     the same in kWh
     * @param averagePowerW average power over the run
     * @param method        {@code measured} or {@code estimated}
     * @param resolution    the least work its meter registers, in words
     */
    public record ComponentEnergy(double energyJ, double energyKwh, double averagePowerW, String method,
                                  String resolution) {
    }

    /**
     * The grid whose carbon intensity was applied.
     *
     * @param key         the region's key ({@code FR}, {@code WLD}, ...)
     * @param name        its name
     * @param countryIso3 its ISO 3166 alpha-3 code, when a country
     * @param source      where the figure comes from
     * @param year        the year it describes
     */
    public record Grid(String key, String name, String countryIso3, String source, int year) {
    }

    /**
     * A named sub-task of the run.
     *
     * @param name            its name
     * @param startedAt       ISO-8601 instant it began
     * @param durationSeconds wall-clock time
     * @param components      IT energy per component
     * @param energyJ         facility energy in joules
     * @param co2eKg          its emissions
     * @param tasks           its own sub-tasks
     */
    public record Task(String name, String startedAt, double durationSeconds, Map<String, ComponentEnergy> components,
                       double energyJ, double co2eKg, List<Task> tasks) {
        public Task {
            components = components == null ? Map.of() : java.util.Collections.unmodifiableMap(
                    new java.util.LinkedHashMap<>(components));
            tasks = tasks == null ? List.of() : List.copyOf(tasks);
        }
    }
}
