package dev.verdant.energy.schedule;

import dev.verdant.energy.CarbonIntensity;
import dev.verdant.energy.Co2e;
import dev.verdant.energy.Energy;
import java.time.Instant;

/** A run of a job in one region from {@code start} to {@code end}, with the forecast's average intensity over it. */
public record Window(String region, Instant start, Instant end, CarbonIntensity averageIntensity) {

    /** The emissions of a job that uses {@code energy} in this window. */
    public Co2e emissions(Energy energy) {
        return averageIntensity.emissionsOf(energy);
    }
}
