package dev.verdant.energy.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What a forecast is wanted for: one region and the window [from, to] a job of {@code jobDuration} must fit in.
 * Providers that compute windows themselves (the Carbon Aware SDK) are told the job duration too.
 */
public record ForecastQuery(String region, Instant from, Instant to, Duration jobDuration) {

    public ForecastQuery {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(jobDuration, "jobDuration");
        if (region.isBlank()) {
            throw new IllegalArgumentException("region must not be blank");
        }
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("window end " + to + " is not after its start " + from);
        }
    }
}
