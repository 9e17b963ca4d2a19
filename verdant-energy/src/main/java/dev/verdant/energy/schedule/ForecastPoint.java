package dev.verdant.energy.schedule;

import dev.verdant.energy.CarbonIntensity;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** One forecast interval: the grid's carbon intensity expected to hold from {@code start} for {@code duration}. */
public record ForecastPoint(Instant start, Duration duration, CarbonIntensity intensity) {

    public ForecastPoint {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(intensity, "intensity");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("forecast interval at " + start + " has no length: " + duration);
        }
    }

    /** An interval whose intensity a provider or file gave in gCO2e/kWh; the message names the interval when it is bad. */
    public static ForecastPoint of(Instant start, Duration duration, double gramsPerKwh) {
        if (!Double.isFinite(gramsPerKwh) || gramsPerKwh < 0) {
            throw new IllegalArgumentException("forecast intensity at " + start + " must be a finite number >= 0, got " + gramsPerKwh);
        }
        return new ForecastPoint(start, duration, CarbonIntensity.ofGramsPerKilowattHour(gramsPerKwh));
    }

    /** The instant this interval ends (exclusive). */
    public Instant end() {
        return start.plus(duration);
    }
}
