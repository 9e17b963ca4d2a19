package dev.verdant.charts;

import java.time.Instant;
import java.util.Map;

/**
 * One run as {@code verdant track} recorded it, from a row of {@code emissions.csv} or a run's JSON file: what the
 * emissions page draws.
 *
 * @param end             when the run ended
 * @param project         its project name (empty when none was given)
 * @param name            the run's name (the command for {@code verdant track}; empty in a CSV, which has none)
 * @param runId           its id
 * @param durationSeconds how long it ran
 * @param energyJoules    IT energy by component label ({@code cpu}, {@code gpu}, {@code ram}), components measured
 *                        or estimated only
 * @param emissionsGrams  CO2e of its facility energy
 * @param method          {@code measured} or {@code estimated}, as the file says it
 * @param where           the file and line (or file) it came from, for messages
 */
public record RecordedRun(Instant end, String project, String name, String runId, double durationSeconds,
                          Map<String, Double> energyJoules, double emissionsGrams, String method, String where) {

    public RecordedRun {
        energyJoules = Map.copyOf(energyJoules);
    }

    /** IT energy of all components. */
    public double totalJoules() {
        return energyJoules.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** The project, or {@code (no project)} for a run that named none. */
    public String projectLabel() {
        return project.isBlank() ? "(no project)" : project;
    }
}
