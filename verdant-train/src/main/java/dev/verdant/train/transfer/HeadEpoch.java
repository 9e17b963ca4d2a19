package dev.verdant.train.transfer;

/**
 * One epoch of head training on cached features. The head is not evaluated on the held-out data between epochs;
 * the exported model is evaluated once, at the end. When the run chooses its epochs, the head is scored on the
 * validation split of the training data after every epoch.
 *
 * @param epoch            1-based
 * @param trainLoss        mean training loss over the epoch's steps
 * @param seconds          wall-clock time
 * @param samplesPerSecond training throughput
 * @param energyJoules     energy spent in the epoch (IT energy, before PUE), the validation scoring included
 * @param validationAccuracy accuracy on the validation split after the epoch, null when not scored
 */
public record HeadEpoch(int epoch, double trainLoss, double seconds, double samplesPerSecond, double energyJoules,
        Double validationAccuracy) {
}
