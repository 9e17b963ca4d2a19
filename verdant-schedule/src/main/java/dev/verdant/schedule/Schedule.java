package dev.verdant.schedule;

import java.util.List;

/**
 * Where and when a job is cleanest, against running it now: {@code best} is the lowest-average window over all
 * regions; {@code runNow} is the job started at the window's start in the first region given (where it would
 * run if not moved). {@code regions} holds the best and the run-now window of every region, in the order given.
 */
public record Schedule(ScheduleRequest request, Window best, Window runNow, List<RegionWindows> regions) {

    /** The best and the start-now window of one region. */
    public record RegionWindows(String region, Window best, Window now) {
    }

    public Schedule {
        regions = List.copyOf(regions);
    }

    /** How much lower the best window's average intensity is than running now, in percent of running now. */
    public double savingPercent() {
        double now = runNow.averageGramsPerKwh();
        return now > 0 ? 100 * (now - best.averageGramsPerKwh()) / now : 0;
    }

    /** The emissions avoided, in grams CO2e, for a job using {@code energyKwh}: run now minus best. */
    public double avoidedGrams(double energyKwh) {
        return runNow.emissionsGrams(energyKwh) - best.emissionsGrams(energyKwh);
    }
}
