package dev.verdant.compress.retrain;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.train.Teacher;
import dev.verdant.train.TrainingLoss;
import java.util.Optional;

/**
 * How a retraining step learns from the model it compresses: the loss it trains on, the original model as the teacher
 * when that loss distils, and the sentence that says so in the step's facts. A distillation loss falls back to the
 * labels alone for a model whose output is already a Softmax (distillation reads logits).
 *
 * @param loss        the loss the retraining trains on
 * @param teacher     the original model as its teacher, or null when the loss reads labels alone
 * @param description what the step's facts say of the loss
 */
public record SelfDistillation(TrainingLoss loss, Teacher teacher, String description) {

    /**
     * The loss {@code wanted}, and for a distillation loss the original as the teacher: its logits computed once over
     * the retrainer's training examples when batches are not augmented, else on every (changed) batch.
     */
    public static SelfDistillation of(ModelProto original, TrainingLoss wanted, Retrainer retrainer,
            RetrainingOptions options, int threads) {
        if (!wanted.needsTeacher()) {
            return new SelfDistillation(wanted, null, wanted.describe());
        }
        Optional<String> probabilities = SoftmaxOutput.of(OnnxGraph.of(original));
        if (probabilities.isPresent()) {
            return new SelfDistillation(new TrainingLoss.CrossEntropy(), null, "cross-entropy on the labels alone: the"
                    + " original's output '" + probabilities.get() + "' is a Softmax, and distillation from it reads "
                    + "logits");
        }
        Teacher teacher = options.augmentation().isIdentity()
                ? Teacher.cache(original, retrainer.data().train(), threads, Teacher.CACHE_BATCH)
                : new Teacher.PerBatch(original);
        return new SelfDistillation(wanted, teacher, wanted.describe() + ", the teacher being the original model");
    }
}
