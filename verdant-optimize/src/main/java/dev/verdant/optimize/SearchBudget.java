package dev.verdant.optimize;

import java.time.Duration;
import java.util.Optional;

/**
 * How much search a run may do: a wall-clock budget, and optionally a cap on how many candidates it builds. The
 * search starts no candidate it does not expect to finish within the time left (judged by the mean time of those
 * it finished so far), so it ends near the budget rather than one long candidate past it. The original model's
 * measurement is not counted: without it nothing can be compared.
 *
 * @param time          the wall-clock budget of this run (a resumed run gets its own)
 * @param maxCandidates the most candidates this run builds, if capped
 */
public record SearchBudget(Duration time, Optional<Integer> maxCandidates) {

    public SearchBudget {
        if (time.isNegative() || time.isZero()) {
            throw new IllegalArgumentException("--budget must be positive, got " + time);
        }
        if (maxCandidates.isPresent() && maxCandidates.get() < 0) {
            throw new IllegalArgumentException("the candidate cap cannot be negative, got " + maxCandidates.get());
        }
    }

    /** A time budget with no cap on candidates. */
    public static SearchBudget of(Duration time) {
        return new SearchBudget(time, Optional.empty());
    }

    /** The same budget capped at {@code count} candidates. */
    public SearchBudget withMaxCandidates(int count) {
        return new SearchBudget(time, Optional.of(count));
    }

    /**
     * Whether another candidate may start.
     *
     * @param elapsedNanos  time this run has spent so far
     * @param built         candidates this run has built so far
     * @param meanNanos     mean time of a candidate so far, or 0 when none has finished
     */
    public boolean allowsAnother(long elapsedNanos, int built, long meanNanos) {
        if (maxCandidates.isPresent() && built >= maxCandidates.get()) {
            return false;
        }
        return elapsedNanos + meanNanos <= time.toNanos();
    }
}
