package dev.verdant.train;

import java.util.Locale;

/** The shape of the learning-rate schedule a run uses; the trainer fills in the rate and the step counts. */
public enum ScheduleKind {
    /** The same rate throughout. */
    CONSTANT,
    /** Divided by 10 after each third of the run. */
    STEP,
    /** Cosine annealing to zero over the run. */
    COSINE;

    /**
     * The schedule for a run of {@code totalSteps} updates, with a linear warm-up over the first
     * {@code warmupSteps} (none when 0).
     */
    public LearningRateSchedule build(float rate, long totalSteps, long warmupSteps) {
        long remaining = Math.max(1, totalSteps - warmupSteps);
        LearningRateSchedule main = switch (this) {
            case CONSTANT -> new LearningRateSchedule.Constant(rate);
            case STEP -> new LearningRateSchedule.StepDecay(rate, Math.max(1, (remaining + 2) / 3), 0.1f);
            case COSINE -> new LearningRateSchedule.Cosine(rate, 0f, remaining);
        };
        return warmupSteps > 0 ? new LearningRateSchedule.Warmup(warmupSteps, main) : main;
    }

    /** {@code constant}, {@code step} or {@code cosine}. */
    public static ScheduleKind byName(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown schedule '" + name + "'; expected constant, step or cosine", e);
        }
    }
}
