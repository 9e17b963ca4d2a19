package dev.verdant.compress.retrain;

import dev.verdant.train.TrainingListener;

/**
 * Where the retraining steps of a recipe report their progress while they run (the CLI prints a line per epoch on
 * stderr): a long distillation or prune-retrain run would otherwise be silent for minutes to hours.
 */
@FunctionalInterface
public interface RetrainingProgress {

    /** Reports nothing. */
    RetrainingProgress NONE = training -> TrainingListener.NONE;

    /**
     * The listener for one training run.
     *
     * @param training what trains, for the reader: the recipe step and, when a step trains more than once, which run
     *                 (e.g. {@code deep-compression centroids})
     */
    TrainingListener listenerFor(String training);
}
