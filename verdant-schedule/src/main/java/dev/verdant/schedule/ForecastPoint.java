package dev.verdant.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One forecast interval: the grid's carbon intensity, in grams of CO2-equivalent per kWh, expected to hold
 * from {@code start} for {@code duration}.
 */
public record ForecastPoint(Instant start, Duration duration, double gramsPerKwh) {

    public ForecastPoint {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("forecast interval at " + start + " has no length: " + duration);
        }
        if (!Double.isFinite(gramsPerKwh) || gramsPerKwh < 0) {
            throw new IllegalArgumentException("forecast intensity at " + start + " must be a finite number >= 0, got " + gramsPerKwh);
        }
    }

    /** The instant this interval ends (exclusive). */
    public Instant end() {
        return start.plus(duration);
    }
}
