package dev.verdant.compress.retrain;

import dev.verdant.data.ImageAugmentation;
import java.util.Objects;
import java.util.Set;

/**
 * How a retraining step fine-tunes, from its recipe settings {@code epochs=}, {@code lr=}, {@code batch=},
 * {@code examples=} (a cap on training examples, 0 for all of them) and {@code augment=} (random shifts and mirrors
 * of image samples, e.g. {@code augment=shift2+flip}; none by default).
 *
 * @param epochs       passes over the training data
 * @param learningRate AdamW's peak learning rate (cosine schedule)
 * @param batchSize    examples per step
 * @param maxExamples  training examples used at most, 0 for all
 * @param augmentation random changes to every training batch's images
 */
public record RetrainingOptions(int epochs, float learningRate, int batchSize, int maxExamples,
        ImageAugmentation augmentation) {

    /** The settings every retraining step accepts. */
    public static final Set<String> KEYS = Set.of("epochs", "lr", "batch", "examples", "augment");

    public RetrainingOptions {
        if (epochs < 1 || batchSize < 1 || maxExamples < 0 || !(learningRate > 0)) {
            throw new IllegalArgumentException("retraining needs epochs >= 1, batch >= 1, examples >= 0 and lr > 0");
        }
        Objects.requireNonNull(augmentation);
    }

    /** Settings without augmentation. */
    public RetrainingOptions(int epochs, float learningRate, int batchSize, int maxExamples) {
        this(epochs, learningRate, batchSize, maxExamples, ImageAugmentation.none());
    }

    /** Reads the settings of {@code arguments}, with {@code defaultEpochs} and a learning rate of 1e-3 otherwise. */
    public static RetrainingOptions of(StepArguments arguments, int defaultEpochs, float defaultLearningRate) {
        return new RetrainingOptions(arguments.integer("epochs", defaultEpochs, 1, 10_000),
                (float) arguments.number("lr", defaultLearningRate, 1e-7, 10),
                arguments.integer("batch", 64, 1, 1 << 16), arguments.integer("examples", 0, 0, Integer.MAX_VALUE),
                ImageAugmentation.parse(arguments.text("augment", "none")));
    }
}
