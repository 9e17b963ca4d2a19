package dev.verdant.train;

/**
 * Hears a training run's progress; each implementation does one job (a progress bar, a log, a test's probe).
 * All methods default to doing nothing.
 */
public interface TrainingListener {

    /** A listener that ignores everything. */
    TrainingListener NONE = new TrainingListener() {
    };

    /** An epoch of {@code steps} steps over {@code samples} samples begins. */
    default void epochStarted(int epoch, int epochs, int steps, int samples) {
    }

    /**
     * One step finished.
     *
     * @param samples        samples in the step
     * @param loss           the step's loss
     * @param samplesPerSecond throughput so far in this epoch
     * @param energyJoules   energy spent since the run began, or NaN without a probe
     */
    default void stepFinished(int samples, double loss, double samplesPerSecond, double energyJoules) {
    }

    /** An epoch finished and was evaluated. */
    default void epochFinished(EpochResult result) {
    }
}
