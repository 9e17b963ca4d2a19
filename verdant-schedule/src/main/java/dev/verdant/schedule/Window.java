package dev.verdant.schedule;

import java.time.Instant;

/** A run of a job in one region from {@code start} to {@code end}, with the forecast's average intensity over it. */
public record Window(String region, Instant start, Instant end, double averageGramsPerKwh) {

    /** The emissions, in grams CO2e, of a job that uses {@code energyKwh} in this window. */
    public double emissionsGrams(double energyKwh) {
        return energyKwh * averageGramsPerKwh;
    }
}
