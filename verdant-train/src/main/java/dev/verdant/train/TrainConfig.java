package dev.verdant.train;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.data.ImageAugmentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a training run is told: epochs, batch size, seed, optimizer, learning rate and its schedule, loss,
 * frozen parameters, an optional teacher, listeners and the energy probe. Build one with {@link #builder()}:
 * {@code setX} for what has no sensible default, {@code optX} for the rest.
 *
 * @param epochs        passes over the training data
 * @param batchSize     samples per step
 * @param seed          seeds the per-epoch shuffles
 * @param optimizer     the optimizer and its settings
 * @param learningRate  the peak learning rate
 * @param schedule      how the rate changes over the run
 * @param warmupSteps   linear warm-up steps before the schedule (0 for none)
 * @param loss          the objective
 * @param freeze        patterns of parameters kept fixed (globs, or {@code regex:...})
 * @param teacher       the teacher a distillation loss reads, when the loss needs one: run on every batch, or its
 *                      logits cached once over the training set
 * @param evalBatchSize batch size of the ONNX Runtime evaluation
 * @param threads       PyTorch intra-op threads for training (set process-wide when the session opens) and ONNX
 *                      Runtime intra-op threads for evaluation and the teacher; 0 keeps the engines' defaults
 * @param listener      hears the progress
 * @param energy        reads the energy spent, when available
 * @param verdantVersion the version written into the provenance
 * @param stepHook      adjusts gradients and weights around each optimizer update (masks, shared weights)
 * @param augmentation  random changes to image samples in every training batch (none by default); a teacher then
 *                      sees the same changed batch, so it must run on every batch rather than from a cache
 * @param validationFraction the fraction of the training data held out as a validation split (stratified by label,
 *                      drawn by {@code seed}) to choose the epoch whose model the run returns; 0 (the default) trains
 *                      on all of it and returns the last epoch's model
 */
public record TrainConfig(int epochs, int batchSize, long seed, OptimizerConfig optimizer, float learningRate,
        ScheduleKind schedule, long warmupSteps, TrainingLoss loss, List<String> freeze, Optional<Teacher> teacher,
        int evalBatchSize, int threads, TrainingListener listener, Optional<EnergyProbe> energy,
        String verdantVersion, StepHook stepHook, ImageAugmentation augmentation, double validationFraction) {

    public TrainConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        if (batchSize < 1 || evalBatchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
        }
        if (warmupSteps < 0 || threads < 0) {
            throw new IllegalArgumentException("warm-up steps and threads cannot be negative");
        }
        Objects.requireNonNull(optimizer);
        Objects.requireNonNull(schedule);
        Objects.requireNonNull(loss);
        Objects.requireNonNull(listener);
        Objects.requireNonNull(stepHook);
        Objects.requireNonNull(augmentation);
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("the validation fraction must be in [0, 1) (0 for none), got "
                    + validationFraction);
        }
        freeze = List.copyOf(freeze);
        if (!augmentation.isIdentity() && teacher.isPresent() && teacher.get() instanceof Teacher.Cached) {
            throw new IllegalArgumentException("augmented batches (" + augmentation.describe() + ") need the teacher"
                    + " run on every batch: cached teacher logits exist only for the original samples");
        }
        if (loss.needsTeacher() && teacher.isEmpty()) {
            throw new IllegalArgumentException(loss.describe() + " needs a teacher model");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether the run holds out a validation split of its training data to choose the epoch it keeps. */
    public boolean validates() {
        return validationFraction > 0;
    }

    /** Builds a {@link TrainConfig}; defaults: 10 epochs, batch 64, seed 1, AdamW at 1e-3, cosine, cross-entropy. */
    public static final class Builder {
        private int epochs = 10;
        private int batchSize = 64;
        private long seed = 1;
        private OptimizerConfig optimizer = OptimizerConfig.adamW();
        private Float learningRate;
        private ScheduleKind schedule = ScheduleKind.COSINE;
        private long warmupSteps;
        private TrainingLoss loss = new TrainingLoss.CrossEntropy();
        private final List<String> freeze = new ArrayList<>();
        private Teacher teacher;
        private int evalBatchSize = 500;
        private int threads;
        private TrainingListener listener = TrainingListener.NONE;
        private EnergyProbe energy;
        private String verdantVersion = "unknown";
        private StepHook stepHook = StepHook.NONE;
        private ImageAugmentation augmentation = ImageAugmentation.none();
        private double validationFraction;

        private Builder() {
        }

        public Builder setEpochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The optimizer; its default learning rate applies unless {@link #optLearningRate} is given. */
        public Builder optOptimizer(OptimizerConfig optimizer) {
            this.optimizer = optimizer;
            return this;
        }

        public Builder optLearningRate(float learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        public Builder optSchedule(ScheduleKind schedule) {
            this.schedule = schedule;
            return this;
        }

        public Builder optWarmupSteps(long warmupSteps) {
            this.warmupSteps = warmupSteps;
            return this;
        }

        public Builder optLoss(TrainingLoss loss) {
            this.loss = loss;
            return this;
        }

        /** Keeps parameters matching {@code pattern} fixed (may be called several times). */
        public Builder optFreeze(String pattern) {
            this.freeze.add(pattern);
            return this;
        }

        /** A teacher model run in ONNX Runtime on every training batch. */
        public Builder optTeacher(ModelProto teacher) {
            return optTeacher(new Teacher.PerBatch(teacher));
        }

        /** A teacher run on every batch, or its logits cached over the training set ({@link Teacher#cache}). */
        public Builder optTeacher(Teacher teacher) {
            this.teacher = teacher;
            return this;
        }

        public Builder optEvalBatchSize(int evalBatchSize) {
            this.evalBatchSize = evalBatchSize;
            return this;
        }

        public Builder optThreads(int threads) {
            this.threads = threads;
            return this;
        }

        public Builder optListener(TrainingListener listener) {
            this.listener = listener;
            return this;
        }

        public Builder optEnergy(EnergyProbe energy) {
            this.energy = energy;
            return this;
        }

        public Builder optVerdantVersion(String verdantVersion) {
            this.verdantVersion = verdantVersion;
            return this;
        }

        /** Adjusts gradients and weights around each optimizer update; see {@link StepHook}. */
        public Builder optStepHook(StepHook stepHook) {
            this.stepHook = stepHook;
            return this;
        }

        /** Random shifts and mirrors of image samples in every training batch; see {@link ImageAugmentation}. */
        public Builder optAugmentation(ImageAugmentation augmentation) {
            this.augmentation = augmentation;
            return this;
        }

        /**
         * Holds out {@code fraction} of the training data (stratified by label, drawn by the seed) and returns the
         * model of the epoch with the best accuracy on it, ties to the earlier epoch; 0 (the default) for none.
         */
        public Builder optValidation(double fraction) {
            this.validationFraction = fraction;
            return this;
        }

        public TrainConfig build() {
            return new TrainConfig(epochs, batchSize, seed, optimizer,
                    learningRate != null ? learningRate : optimizer.defaultLearningRate(), schedule, warmupSteps, loss,
                    freeze, Optional.ofNullable(teacher), evalBatchSize, threads, listener,
                    Optional.ofNullable(energy), verdantVersion, stepHook, augmentation, validationFraction);
        }
    }
}
