package dev.verdant.train.transfer;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.energy.TrackedRun;
import dev.verdant.data.TabularDataset;

/**
 * How the settings search trains one candidate head and scores it on the validation features: the transfer
 * learner's own training loop and accuracy, handed to {@link SettingsSearch} so that the search does not call back
 * into the learner that runs it.
 */
@FunctionalInterface
interface HeadTrial {

    /** Trains {@code untrained} on {@code train} for {@code epochs} at {@code rate}; its accuracy on {@code validation}. */
    double trainAndScore(ModelProto untrained, TabularDataset train, TabularDataset validation, int epochs, float rate,
            TrackedRun run);
}
