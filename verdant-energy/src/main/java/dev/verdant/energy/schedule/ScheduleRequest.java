package dev.verdant.energy.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * A job to place: it runs for {@code jobDuration}, must start no earlier than {@code from} and end no later than
 * {@code to}, in one of {@code regions}. The first region is where it would run if not moved ("here").
 */
public record ScheduleRequest(Duration jobDuration, Instant from, Instant to, List<String> regions) {

    public ScheduleRequest {
        Objects.requireNonNull(jobDuration, "jobDuration");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        regions = List.copyOf(Objects.requireNonNull(regions, "regions"));
        if (jobDuration.isNegative() || jobDuration.isZero()) {
            throw new IllegalArgumentException("the job duration must be positive, got " + DurationText.format(jobDuration));
        }
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("the window end " + to + " is not after its start " + from);
        }
        Duration window = Duration.between(from, to);
        if (jobDuration.compareTo(window) > 0) {
            throw new IllegalArgumentException("the job (" + DurationText.format(jobDuration) + ") is longer than the window ("
                    + DurationText.format(window) + "); give a longer --within or a shorter --duration");
        }
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("at least one region is needed");
        }
        if (new HashSet<>(regions).size() != regions.size()) {
            throw new IllegalArgumentException("a region is listed twice: " + regions);
        }
        for (String r : regions) {
            if (r.isBlank()) {
                throw new IllegalArgumentException("a region name is blank: " + regions);
            }
        }
    }

    /** A request for a job that must be done within {@code within} of {@code from}. */
    public static ScheduleRequest within(Duration jobDuration, Instant from, Duration within, List<String> regions) {
        return new ScheduleRequest(jobDuration, from, from.plus(within), regions);
    }

    /** The latest start that still ends by {@code to}. */
    public Instant latestStart() {
        return to.minus(jobDuration);
    }

    /** The forecast query for one of the regions. */
    public ForecastQuery query(String region) {
        return new ForecastQuery(region, from, to, jobDuration);
    }
}
