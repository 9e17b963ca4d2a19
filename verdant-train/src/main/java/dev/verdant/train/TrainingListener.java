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

    /**
     * The model after {@code epoch}, with the weights so far and the provenance of the epochs run: write it to keep
     * the progress of a long run.
     */
    default void checkpointReady(int epoch, ai.onnx.proto.OnnxMl.ModelProto checkpoint) {
    }

    /** A listener that passes every event to each of {@code listeners}, in order. */
    static TrainingListener all(TrainingListener... listeners) {
        java.util.List<TrainingListener> list = java.util.List.of(listeners);
        return new TrainingListener() {
            @Override
            public void epochStarted(int epoch, int epochs, int steps, int samples) {
                list.forEach(l -> l.epochStarted(epoch, epochs, steps, samples));
            }

            @Override
            public void stepFinished(int samples, double loss, double samplesPerSecond, double energyJoules) {
                list.forEach(l -> l.stepFinished(samples, loss, samplesPerSecond, energyJoules));
            }

            @Override
            public void epochFinished(EpochResult result) {
                list.forEach(l -> l.epochFinished(result));
            }

            @Override
            public void checkpointReady(int epoch, ai.onnx.proto.OnnxMl.ModelProto checkpoint) {
                list.forEach(l -> l.checkpointReady(epoch, checkpoint));
            }
        };
    }

    /**
     * One line per finished epoch ({@code epoch N/M:} then loss, validation accuracy when the run holds a validation
     * split out, held-out accuracy, time, throughput, energy) to {@code out}.
     */
    static TrainingListener epochLog(java.io.PrintWriter out) {
        return epochLog(out, "");
    }

    /**
     * As {@link #epochLog(java.io.PrintWriter)}, each line starting with {@code prefix} (e.g. the recipe step that
     * trains, when one command runs several trainings).
     */
    static TrainingListener epochLog(java.io.PrintWriter out, String prefix) {
        return new TrainingListener() {
            private int epochs;

            @Override
            public void epochStarted(int epoch, int epochs, int steps, int samples) {
                this.epochs = epochs;
            }

            @Override
            public void epochFinished(EpochResult r) {
                out.printf(java.util.Locale.ROOT,
                        "%sepoch %d/%d: train loss %.4f, %stest accuracy %.2f%% (ONNX Runtime), %.1f s, "
                                + "%.0f samples/s%s%n",
                        prefix, r.epoch(), epochs, r.trainLoss(), r.validationAccuracy() == null ? "" : String.format(
                                java.util.Locale.ROOT, "validation %.2f%%, ", 100 * r.validationAccuracy()),
                        100 * r.testAccuracy(), r.seconds(), r.samplesPerSecond(),
                        r.energyJoules() == null ? ""
                                : String.format(java.util.Locale.ROOT, ", %.0f J", r.energyJoules()));
                out.flush();
            }
        };
    }
}
