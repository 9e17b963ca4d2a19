package dev.verdant.compress.retrain;

/**
 * Zhu and Gupta's gradual pruning schedule (2017): the sparsity rises from {@code initial} to {@code target} as
 * {@code s_t = s_f + (s_i - s_f)(1 - (t - t0) / (n dt))^3}, pruning fast while the network has many redundant
 * weights and slowly as few remain, then holds {@code target} so the last steps recover accuracy.
 *
 * @param initial   s_i, the sparsity at the first pruning step, in [0, 1)
 * @param target    s_f, the final sparsity, in [initial, 1)
 * @param beginStep t0, the optimizer step of the first pruning
 * @param endStep   t0 + n dt, the step at which the target is reached
 * @param frequency dt, optimizer steps between two pruning events
 */
public record CubicSparsitySchedule(double initial, double target, long beginStep, long endStep, long frequency) {

    public CubicSparsitySchedule {
        if (!(initial >= 0 && initial < 1) || !(target >= initial && target < 1)) {
            throw new IllegalArgumentException("gradual pruning needs 0 <= initial <= target < 1, got " + initial
                    + " and " + target);
        }
        if (beginStep < 0 || endStep < beginStep || frequency < 1) {
            throw new IllegalArgumentException("gradual pruning needs 0 <= begin <= end and a frequency of at least 1,"
                    + " got " + beginStep + ", " + endStep + ", " + frequency);
        }
    }

    /**
     * The schedule for a run of {@code totalSteps} steps: pruning from step 0 up to two thirds of the run in about
     * {@code events} pruning events, the last third fine-tuning at the target.
     */
    public static CubicSparsitySchedule forRun(double target, long totalSteps, int events) {
        long end = Math.max(1, totalSteps * 2 / 3);
        return new CubicSparsitySchedule(0, target, 0, end, Math.max(1, end / Math.max(1, events)));
    }

    /** The sparsity the schedule asks for at optimizer step {@code step}. */
    public double sparsityAt(long step) {
        if (step <= beginStep) {
            return step < beginStep ? 0 : initial;
        }
        if (step >= endStep) {
            return target;
        }
        double remaining = 1 - (double) (step - beginStep) / (endStep - beginStep);
        return target + (initial - target) * remaining * remaining * remaining;
    }

    /** Whether the masks are recomputed at {@code step}: every {@code frequency} steps from the start, and at the end. */
    public boolean prunesAt(long step) {
        return step >= beginStep && step <= endStep && ((step - beginStep) % frequency == 0 || step == endStep);
    }
}
