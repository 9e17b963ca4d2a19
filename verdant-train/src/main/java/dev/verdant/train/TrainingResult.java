package dev.verdant.train;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.util.List;

/**
 * What a training run produced: the trained model (the input graph with trained initializers and provenance in its
 * metadata), the figures of every epoch, which epoch's weights the model holds, and the provenance itself.
 *
 * @param model             the checkpoint to write: the last epoch's, or with a validation split the best epoch's
 * @param epochs            per-epoch figures, in order
 * @param initialAccuracy   the model's held-out accuracy in ONNX Runtime before training
 * @param provenance        what produced it (also in {@code model}'s metadata)
 * @param keptEpoch         the epoch whose weights {@code model} holds (1-based): the last one, or with a validation
 *                          split the one with the best validation accuracy (ties to the earlier epoch)
 * @param validationSamples the training samples held out for choosing the epoch; 0 when none were
 */
public record TrainingResult(ModelProto model, List<EpochResult> epochs, double initialAccuracy, TrainingProvenance provenance,
        int keptEpoch, int validationSamples) {

    public TrainingResult {
        epochs = List.copyOf(epochs);
        if (keptEpoch < 1 || keptEpoch > epochs.size()) {
            throw new IllegalArgumentException("kept epoch " + keptEpoch + " is not one of the " + epochs.size()
                    + " epochs run");
        }
    }

    /** The figures of the epoch whose weights {@link #model()} holds. */
    public EpochResult kept() {
        return epochs.get(keptEpoch - 1);
    }

    /** Held-out accuracy of {@link #model()}: after the last epoch, or after the kept one with a validation split. */
    public double finalAccuracy() {
        return kept().testAccuracy();
    }
}
