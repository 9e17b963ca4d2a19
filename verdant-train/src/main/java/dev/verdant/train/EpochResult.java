package dev.verdant.train;

/**
 * One epoch's figures.
 *
 * @param epoch              1-based
 * @param trainLoss          mean training loss over the epoch's steps
 * @param testAccuracy       accuracy of the exported model in ONNX Runtime on the held-out data
 * @param testLoss           mean cross-entropy of the exported model on the held-out data
 * @param seconds            wall-clock time of the epoch, evaluation included
 * @param samplesPerSecond   training throughput (evaluation excluded)
 * @param energyJoules       energy spent in the epoch; null when no energy probe is attached
 * @param validationAccuracy accuracy of the exported model in ONNX Runtime on the validation split of the training
 *                           data, which chooses the epoch a run keeps; null when the run holds out no validation split
 */
public record EpochResult(int epoch, double trainLoss, double testAccuracy, double testLoss, double seconds,
        double samplesPerSecond, Double energyJoules, Double validationAccuracy) {
}
