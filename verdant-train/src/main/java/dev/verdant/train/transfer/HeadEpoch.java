package dev.verdant.train.transfer;

/**
 * One epoch of head training on cached features. The head is not evaluated between epochs (it has a fixed budget
 * and nothing to stop early for); the exported model is evaluated once, at the end.
 *
 * @param epoch            1-based
 * @param trainLoss        mean training loss over the epoch's steps
 * @param seconds          wall-clock time
 * @param samplesPerSecond training throughput
 * @param energyJoules     energy spent in the epoch (IT energy, before PUE)
 */
public record HeadEpoch(int epoch, double trainLoss, double seconds, double samplesPerSecond, double energyJoules) {
}
