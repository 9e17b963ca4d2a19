package dev.verdant.train;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.util.List;

/**
 * What a training run produced: the trained model (the input graph with trained initializers and provenance in its
 * metadata), the figures of every epoch, and the provenance itself.
 *
 * @param model      the checkpoint to write
 * @param epochs     per-epoch figures, in order
 * @param initialAccuracy the model's held-out accuracy in ONNX Runtime before training
 * @param provenance what produced it (also in {@code model}'s metadata)
 */
public record TrainingResult(ModelProto model, List<EpochResult> epochs, double initialAccuracy, Provenance provenance) {

    public TrainingResult {
        epochs = List.copyOf(epochs);
    }

    /** Held-out accuracy after the last epoch. */
    public double finalAccuracy() {
        return epochs.isEmpty() ? initialAccuracy : epochs.get(epochs.size() - 1).testAccuracy();
    }
}
