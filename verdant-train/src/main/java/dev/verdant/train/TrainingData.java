package dev.verdant.train;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.data.Batch;
import dev.verdant.data.Dataset;
import dev.verdant.data.FeatureDataset;
import dev.verdant.data.ImageAugmentation;
import dev.verdant.data.PartlyLabelled;
import dev.verdant.data.TextDataset;
import dev.verdant.data.TokenBatch;
import dev.verdant.data.TokenizedTexts;
import dev.verdant.runtime.OrtClassifier;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;

/**
 * What a training run feeds a model, whatever its inputs: fixed-size feature vectors for a one-input model (images,
 * table rows, fixed-length ids), or tokenized texts for an encoder that reads {@code input_ids},
 * {@code attention_mask} and {@code token_type_ids}, batched to each batch's longest text. The trainer, the scratch
 * baseline and the evaluation in ONNX Runtime see only this.
 */
public sealed interface TrainingData {

    /** Feature vectors, one batch tensor per step. */
    record Features(FeatureDataset<?> data) implements TrainingData {
    }

    /**
     * Labelled feature vectors plus unlabelled ones of the same shape (a distillation transfer set): every epoch mixes
     * both; unlabelled samples reach the loss with the label {@link Batch#UNLABELLED}, so only a loss that reads a
     * teacher can train on them. Splitting and evaluating read the labelled part only.
     */
    record Transfer(PartlyLabelled data) implements TrainingData {
    }

    /** Tokenized texts, three int64 inputs per step, padded to the batch's longest text. */
    record Tokens(TokenizedTexts texts) implements TrainingData {
    }

    /**
     * Training data cut in two disjoint parts: the part a run trains on, and the validation part it evaluates after
     * each epoch to choose the epoch it keeps (never the held-out test data).
     *
     * @param train      the part to train on
     * @param validation the part kept out of training for choosing the epoch
     */
    record ValidationSplit(TrainingData train, TrainingData validation) {
    }

    /** Hears each optimizer step of an epoch. */
    @FunctionalInterface
    interface StepObserver {
        /**
         * Called after each step.
         *
         * @param samples samples in the step's batch
         * @param loss    the batch's loss before the update
         * @return whether to go on with the epoch (false ends it after this step, as a budget does)
         */
        boolean stepFinished(int samples, float loss);
    }

    static TrainingData of(FeatureDataset<?> data) {
        return new Features(data);
    }

    /** Labelled samples and a transfer set of unlabelled ones, trained on together. */
    static TrainingData of(PartlyLabelled data) {
        return new Transfer(data);
    }

    static TrainingData of(TokenizedTexts texts) {
        return new Tokens(texts);
    }

    /**
     * Any dataset as training data: feature vectors as they are, texts tokenized once with {@code tokenizerFile}
     * (each truncated to {@code maxTokens}, unpadded).
     *
     * @throws IllegalArgumentException for texts without a tokenizer
     */
    static TrainingData of(Dataset<?> data, Optional<Path> tokenizerFile, int maxTokens) {
        return switch (data) {
            case FeatureDataset<?> features -> of(features);
            case TextDataset texts -> of(new TokenEncoder(tokenizerFile.orElseThrow(() -> new IllegalArgumentException(
                    "texts train a token encoder, which needs its tokenizer.json")), maxTokens).tokenize(texts));
        };
    }

    /** A short name for reports and provenance. */
    default String name() {
        return switch (this) {
            case Features f -> f.data().name();
            case Transfer t -> t.data().name();
            case Tokens t -> t.texts().name();
        };
    }

    /** The number of samples. */
    default int size() {
        return switch (this) {
            case Features f -> f.data().size();
            case Transfer t -> t.data().size();
            case Tokens t -> t.texts().size();
        };
    }

    /** Whether some training samples carry no label (a transfer set), so only a teacher can score them. */
    default boolean hasUnlabelled() {
        return this instanceof Transfer;
    }

    /** The first {@code n} samples (of the labelled part, for a transfer set). */
    default TrainingData first(int n) {
        return switch (this) {
            case Features f -> new Features(f.data().subset(n));
            case Transfer t -> new Features(t.data().labelled().subset(n));
            case Tokens t -> new Tokens(t.texts().subset(n));
        };
    }

    /**
     * Holds out {@code validationFraction} of the samples, stratified by label and drawn by {@code seed}, with
     * {@link Dataset#stratifiedSplit}: each class gives {@code round(classSize * (1 - validationFraction))} samples to
     * the training part and the rest to the validation part; both keep this data's order. A transfer set's labelled
     * part is split; its unlabelled part stays with the training part.
     *
     * @throws IllegalArgumentException when the fraction is outside (0, 1) or leaves a part empty
     */
    default ValidationSplit split(double validationFraction, long seed) {
        double trainFraction = 1 - validationFraction;
        try {
            return switch (this) {
                case Features f -> {
                    var parts = f.data().stratifiedSplit(trainFraction, seed);
                    yield new ValidationSplit(new Features(parts.train()), new Features(parts.heldOut()));
                }
                case Transfer t -> {
                    var parts = t.data().labelled().stratifiedSplit(trainFraction, seed);
                    yield new ValidationSplit(new Transfer(new PartlyLabelled(parts.train(), t.data().unlabelled())),
                            new Features(parts.heldOut()));
                }
                case Tokens t -> {
                    var parts = t.texts().stratifiedSplit(trainFraction, seed);
                    yield new ValidationSplit(new Tokens(parts.train()), new Tokens(parts.heldOut()));
                }
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot hold out a validation fraction of " + validationFraction
                    + " of " + name() + " (" + size() + " samples): " + e.getMessage(), e);
        }
    }

    /** Steps per epoch at {@code batchSize} (the last batch may be smaller). */
    default int batchCount(int batchSize) {
        return switch (this) {
            case Features f -> f.data().batchCount(batchSize, false);
            case Transfer t -> t.data().batchCount(batchSize);
            case Tokens t -> t.texts().batchCount(batchSize);
        };
    }

    /**
     * One pass in an order fixed by {@code shuffleSeed}, one {@code session} step per batch; a non-finite loss ends
     * the run with one line.
     *
     * @return the mean step loss over the steps taken
     */
    default double epoch(TrainingSession session, int batchSize, long shuffleSeed, int epochNumber,
            StepObserver observer) {
        return epoch(session, batchSize, shuffleSeed, ImageAugmentation.none(), epochNumber, observer);
    }

    /**
     * One pass as {@link #epoch(TrainingSession, int, long, int, StepObserver)}, every batch changed by
     * {@code augmentation} with draws seeded by {@code shuffleSeed} (images only).
     */
    default double epoch(TrainingSession session, int batchSize, long shuffleSeed, ImageAugmentation augmentation,
            int epochNumber, StepObserver observer) {
        if (!augmentation.isIdentity() && this instanceof Tokens) {
            throw new IllegalArgumentException("image augmentation (" + augmentation.describe()
                    + ") applies to image samples, not tokenized texts");
        }
        Random draws = new Random(~shuffleSeed);
        java.util.function.ToDoubleFunction<Batch> featureStep = augmentation.isIdentity() ? session::step
                : batch -> session.step(augmentation.apply(batch, draws));
        return switch (this) {
            case Features f -> steps(f.data().shuffled(shuffleSeed).batches(batchSize), featureStep, Batch::size,
                    session, epochNumber, observer);
            case Transfer t -> steps(t.data().shuffledBatches(batchSize, shuffleSeed), featureStep, Batch::size,
                    session, epochNumber, observer);
            case Tokens t -> steps(t.texts().shuffled(shuffleSeed).batches(batchSize), session::step,
                    TokenBatch::size, session, epochNumber, observer);
        };
    }

    /**
     * Accuracy and loss of {@code model} on this data in ONNX Runtime: the figure a user of the file sees (on the
     * labelled part of a transfer set).
     */
    default OrtClassifier.Evaluation evaluate(ModelProto model, int threads, int batchSize) {
        try (OrtClassifier classifier = OrtClassifier.load(model, threads)) {
            return evaluate(classifier, batchSize);
        }
    }

    /** Accuracy and loss on this data of a model already loaded in ONNX Runtime (to score several sets at one load). */
    default OrtClassifier.Evaluation evaluate(OrtClassifier classifier, int batchSize) {
        return switch (this) {
            case Features f -> classifier.evaluate(f.data(), batchSize);
            case Transfer t -> classifier.evaluate(t.data().labelled(), batchSize);
            case Tokens t -> classifier.evaluate(t.texts(), batchSize);
        };
    }

    private static <B> double steps(Iterable<B> batches, java.util.function.ToDoubleFunction<B> step,
            java.util.function.ToIntFunction<B> size, TrainingSession session, int epoch, StepObserver observer) {
        double lossSum = 0;
        int steps = 0;
        for (B batch : batches) {
            float loss = (float) step.applyAsDouble(batch);
            if (!Float.isFinite(loss)) {
                throw new IllegalStateException("training diverged: the loss is " + loss + " at epoch " + epoch
                        + ", step " + session.steps() + "; try a smaller --lr");
            }
            lossSum += loss;
            steps++;
            if (!observer.stepFinished(size.applyAsInt(batch), loss)) {
                break;
            }
        }
        return lossSum / steps;
    }
}
