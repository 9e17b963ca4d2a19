package dev.verdant.train;

import java.util.function.DoublePredicate;
import java.util.function.DoubleSupplier;

/**
 * Tells a {@link TrainingListener} of each step of one training epoch: the step's samples and loss, the samples per
 * second since the epoch began, and the energy spent so far; and whether the epoch goes on, given that energy (a
 * budget may end it). {@link Trainer} and transfer's scratch baseline report their epochs through it alike.
 */
public final class EpochProgress implements TrainingData.StepObserver {

    private final TrainingListener listener;
    private final long startNanos;
    private final DoubleSupplier energySpent;
    private final DoublePredicate goOn;
    private int seen;

    /**
     * @param listener    hears every step
     * @param startNanos  when the epoch began ({@link System#nanoTime()}), for the throughput
     * @param energySpent the joules spent so far (NaN when not measured)
     * @param goOn        whether to go on after a step, given {@code energySpent}'s answer for it
     */
    public EpochProgress(TrainingListener listener, long startNanos, DoubleSupplier energySpent,
            DoublePredicate goOn) {
        this.listener = listener;
        this.startNanos = startNanos;
        this.energySpent = energySpent;
        this.goOn = goOn;
    }

    @Override
    public boolean stepFinished(int samples, float loss) {
        seen += samples;
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        double spent = energySpent.getAsDouble();
        listener.stepFinished(samples, loss, seen / elapsed, spent);
        return goOn.test(spent);
    }
}
