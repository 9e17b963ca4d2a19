package dev.verdant.compress.retrain;

/**
 * What every retraining step of a recipe shares, from the command line: the labelled data to train on, the threads,
 * the seed and the version written into provenance.
 *
 * @param dataSpec labelled data (dataset name or path, e.g. {@code fashion-mnist}), or null when none was given
 * @param threads  PyTorch and ONNX Runtime intra-op threads
 * @param seed     seeds shuffles, splits and new weights
 * @param version  the Verdant version, for provenance
 * @param progress hears every epoch of every retraining run
 */
public record TrainingSetup(String dataSpec, int threads, long seed, String version, RetrainingProgress progress) {

    public TrainingSetup {
        java.util.Objects.requireNonNull(progress, "progress");
    }

    /** A setup whose retraining runs report no progress. */
    public TrainingSetup(String dataSpec, int threads, long seed, String version) {
        this(dataSpec, threads, seed, version, RetrainingProgress.NONE);
    }

    /** The data, or a one-line error naming the step that needs it. */
    public String requireData(String step) {
        if (dataSpec == null || dataSpec.isBlank()) {
            throw new IllegalArgumentException(missingData(step));
        }
        return dataSpec;
    }

    /** The one-line message for a retraining step given no data. */
    public static String missingData(String step) {
        return "recipe step '" + step + "' retrains the model and needs labelled training data: add --data "
                + "(e.g. --data fashion-mnist)";
    }
}
