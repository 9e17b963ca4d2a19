package dev.verdant.energy.schedule;

import dev.verdant.energy.Co2e;
import dev.verdant.energy.Energy;
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
        double now = runNow.averageIntensity().gramsPerKilowattHour();
        return now > 0 ? 100 * (now - best.averageIntensity().gramsPerKilowattHour()) / now : 0;
    }

    /** The emissions avoided by a job using {@code energy}: run now minus best (never negative: best is the least). */
    public Co2e avoided(Energy energy) {
        return Co2e.ofGrams(runNow.emissions(energy).grams() - best.emissions(energy).grams());
    }
}
