package dev.verdant.train;

import ai.djl.training.tracker.Tracker;

/**
 * The learning rate as a function of the optimizer step (0 for the first update). A schedule is also a DJL
 * {@link Tracker}, so DJL's optimizers read it directly.
 */
public sealed interface LearningRateSchedule extends Tracker {

    /** The learning rate for update {@code step} (0-based). */
    float rate(long step);

    /** The rate at the first update, for reports. */
    default float baseRate() {
        return rate(0);
    }

    /** DJL counts updates from 1; this schedule counts from 0. */
    @Override
    default float getNewValue(int numUpdate) {
        return rate(Math.max(0, numUpdate - 1));
    }

    /** One line for provenance and logs, e.g. {@code cosine(0.001 -> 0, 9380 steps)}. */
    String describe();

    /** The same rate throughout. */
    record Constant(float rate) implements LearningRateSchedule {
        public Constant {
            requirePositive(rate);
        }

        @Override
        public float rate(long step) {
            return rate;
        }

        @Override
        public String describe() {
            return "constant(" + rate + ")";
        }
    }

    /** {@code base * gamma^floor(step / stepSize)}: drop by {@code gamma} every {@code stepSize} updates. */
    record StepDecay(float base, long stepSize, float gamma) implements LearningRateSchedule {
        public StepDecay {
            requirePositive(base);
            if (stepSize < 1 || !(gamma > 0 && gamma <= 1)) {
                throw new IllegalArgumentException("step decay needs stepSize >= 1 and gamma in (0, 1]");
            }
        }

        @Override
        public float rate(long step) {
            return (float) (base * Math.pow(gamma, step / stepSize));
        }

        @Override
        public String describe() {
            return "step(" + base + " x " + gamma + " every " + stepSize + " steps)";
        }
    }

    /**
     * Cosine annealing from {@code base} to {@code end} over {@code totalSteps} updates, then {@code end}
     * (Loshchilov and Hutter, 2017, without restarts).
     */
    record Cosine(float base, float end, long totalSteps) implements LearningRateSchedule {
        public Cosine {
            requirePositive(base);
            if (end < 0 || end > base || totalSteps < 1) {
                throw new IllegalArgumentException("cosine needs 0 <= end <= base and totalSteps >= 1");
            }
        }

        @Override
        public float rate(long step) {
            if (step >= totalSteps) {
                return end;
            }
            return (float) (end + (base - end) * 0.5 * (1 + Math.cos(Math.PI * step / totalSteps)));
        }

        @Override
        public String describe() {
            return "cosine(" + base + " -> " + end + ", " + totalSteps + " steps)";
        }
    }

    /**
     * Linear warm-up over the first {@code warmupSteps} updates, rising to {@code then}'s first rate, after which
     * {@code then} runs with its own step count starting at 0.
     */
    record Warmup(long warmupSteps, LearningRateSchedule then) implements LearningRateSchedule {
        public Warmup {
            if (warmupSteps < 1) {
                throw new IllegalArgumentException("warm-up needs at least one step");
            }
        }

        @Override
        public float rate(long step) {
            if (step < warmupSteps) {
                return then.rate(0) * (step + 1) / warmupSteps;
            }
            return then.rate(step - warmupSteps);
        }

        @Override
        public String describe() {
            return "warmup(" + warmupSteps + " steps) then " + then.describe();
        }
    }

    private static void requirePositive(float rate) {
        if (!(rate > 0) || !Float.isFinite(rate)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + rate);
        }
    }
}
