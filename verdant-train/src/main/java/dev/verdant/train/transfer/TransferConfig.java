package dev.verdant.train.transfer;

import dev.verdant.train.OptimizerConfig;
import dev.verdant.train.ScheduleKind;
import dev.verdant.train.TrainingListener;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a transfer run is told. Build one with {@link #builder()}: defaults are the penultimate-layer cut, a
 * linear head, nothing unfrozen, 10 head epochs, batch 64, AdamW at 1e-3, seed 1. With
 * {@link Builder#optChooseUnset(boolean)} and no cut, the settings left unset are instead chosen on a validation
 * split of the training data ({@link SettingsSearch}); {@link #toChoose()} lists them.
 *
 * @param cut              the tensor or node to cut at; empty for the input of the last classifier layer
 * @param head             the new head
 * @param unfreezeLast     backbone layers, counted back from the cut, fine-tuned with the head after it has trained
 * @param epochs           epochs of head training (on the cached features)
 * @param finetuneEpochs   epochs of fine-tuning when {@code unfreezeLast > 0}
 * @param batchSize        samples per step
 * @param learningRate     the head's peak learning rate
 * @param finetuneLearningRate the peak learning rate of fine-tuning (by default a tenth of the head's)
 * @param optimizer        the optimizer of every phase (and of the scratch baseline)
 * @param schedule         the learning-rate schedule of every phase
 * @param seed             seeds the head's weights, the shuffles and the scratch weights
 * @param threads          PyTorch and ONNX Runtime intra-op threads; 0 for the engines' defaults
 * @param scratchMaxEpochs when positive, also train the same architecture from scratch until it reaches the transfer
 *                         model's accuracy or this many epochs, and measure its energy
 * @param scratchMaxJoules when positive, the scratch run also stops once it has spent this much IT energy
 * @param scratchTinyTransformer for a token encoder, also train the zoo's tiny transformer from scratch on the same
 *                         texts within the same budget: a labelled secondary reference, not the same architecture
 * @param tokenizer        the tokenizer of a token backbone (MiniLM's when empty)
 * @param maxTokens        tokens kept per text
 * @param listener         hears the epochs of every phase
 * @param verdantVersion   written into the model's metadata
 * @param validationFraction when fine-tuning ({@code unfreezeLast > 0}), the fraction of the training data held out
 *                         (stratified, drawn by {@code seed}) before the head trains, on which the fine-tuning epoch
 *                         kept is chosen; 0 trains both phases on all of it and keeps the last epoch; when
 *                         settings are chosen, the fraction they are chosen on
 * @param toChoose         the settings the run chooses on the validation split (empty: none, every setting as given);
 *                         never holds one the user set
 */
public record TransferConfig(Optional<String> cut, Head head, int unfreezeLast, int epochs, int finetuneEpochs,
        int batchSize, float learningRate, float finetuneLearningRate, OptimizerConfig optimizer,
        ScheduleKind schedule, long seed, int threads, int scratchMaxEpochs, double scratchMaxJoules,
        boolean scratchTinyTransformer, Optional<Path> tokenizer, int maxTokens, TrainingListener listener,
        String verdantVersion, double validationFraction, Set<Setting> toChoose) {

    /** The validation fraction when none is given: a tenth of the training data. */
    public static final double DEFAULT_VALIDATION_FRACTION = 0.1;

    /** Head epochs when none are given (when the settings are chosen: the most, of which the best is kept). */
    public static final int DEFAULT_EPOCHS = 10;

    /**
     * A setting a transfer can choose on a validation split when the user leaves it unset.
     */
    public enum Setting {
        /** the tensor the backbone is cut at */
        CUT,
        /** the head: linear or a small MLP */
        HEAD,
        /** the head's peak learning rate */
        LEARNING_RATE,
        /** the head epoch whose weights are kept (of at most {@link TransferConfig#epochs()}) */
        EPOCHS
    }

    /** The batch size of a run that chooses its settings when none is given: features are cached, so fewer larger
     * steps cost less. */
    public static final int CHOSEN_SETTINGS_BATCH_SIZE = 256;

    public TransferConfig {
        toChoose = toChoose.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(toChoose));
        if (cut.isPresent() && toChoose.contains(Setting.CUT)) {
            throw new IllegalArgumentException("the cut is given (" + cut.get() + "), so it cannot be chosen");
        }
        Objects.requireNonNull(head);
        Objects.requireNonNull(optimizer);
        Objects.requireNonNull(schedule);
        Objects.requireNonNull(listener);
        if (unfreezeLast < 0) {
            throw new IllegalArgumentException("--unfreeze last:K needs K >= 0, got " + unfreezeLast);
        }
        if (epochs < 1 || finetuneEpochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1");
        }
        if (batchSize < 1 || threads < 0 || maxTokens < 2 || scratchMaxEpochs < 0) {
            throw new IllegalArgumentException("batch size, threads, token count and scratch cap are out of range");
        }
        if (!(learningRate > 0) || !Float.isFinite(learningRate)
                || !(finetuneLearningRate > 0) || !Float.isFinite(finetuneLearningRate)) {
            throw new IllegalArgumentException("learning rates must be positive, got " + learningRate + " and "
                    + finetuneLearningRate);
        }
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("the validation fraction must be in [0, 1) (0 for none), got "
                    + validationFraction);
        }
        if (!toChoose.isEmpty() && validationFraction == 0) {
            throw new IllegalArgumentException("choosing the settings needs a validation split of the training data:"
                    + " give --validation a fraction above 0, or --cut to choose nothing");
        }
        if (!(scratchMaxJoules >= 0) || Double.isInfinite(scratchMaxJoules)) {
            throw new IllegalArgumentException("the scratch energy budget must be >= 0 joules, got " + scratchMaxJoules);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether the run also trains the architecture from scratch for the energy comparison. */
    public boolean comparesScratch() {
        return scratchMaxEpochs > 0;
    }

    /** Whether the run chooses settings (at least the cut) on a validation split of the training data. */
    public boolean choosesSettings() {
        return !toChoose.isEmpty();
    }

    /** Whether fine-tuning holds out a validation split to choose the epoch it keeps. */
    public boolean validatesFinetuning() {
        return unfreezeLast > 0 && validationFraction > 0;
    }

    /** Builds a {@link TransferConfig}; every setting has a default. */
    public static final class Builder {
        private String cut;
        private Head head = new Head.Linear();
        private int unfreezeLast;
        private int epochs = DEFAULT_EPOCHS;
        private Integer finetuneEpochs;
        private Float learningRate;
        private Float finetuneLearningRate;
        private OptimizerConfig optimizer = OptimizerConfig.adamW();
        private ScheduleKind schedule = ScheduleKind.COSINE;
        private long seed = 1;
        private int threads;
        private int scratchMaxEpochs;
        private double scratchMaxJoules;
        private boolean scratchTinyTransformer;
        private Path tokenizer;
        private int maxTokens = 128;
        private TrainingListener listener = TrainingListener.NONE;
        private String verdantVersion = "unknown";
        private double validationFraction = DEFAULT_VALIDATION_FRACTION;
        private boolean chooseUnset;
        private boolean headGiven;
        private boolean epochsGiven;
        private Integer batchSize;

        private Builder() {
        }

        public Builder optCut(String cut) {
            this.cut = cut;
            return this;
        }

        public Builder optHead(Head head) {
            this.head = head;
            this.headGiven = true;
            return this;
        }

        public Builder optUnfreezeLast(int layers) {
            this.unfreezeLast = layers;
            return this;
        }

        public Builder optEpochs(int epochs) {
            this.epochs = epochs;
            this.epochsGiven = true;
            return this;
        }

        /** Fine-tuning epochs; by default as many as the head's. */
        public Builder optFinetuneEpochs(int epochs) {
            this.finetuneEpochs = epochs;
            return this;
        }

        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder optLearningRate(float learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /** Fine-tuning's peak learning rate; by default a tenth of the head's. */
        public Builder optFinetuneLearningRate(float learningRate) {
            this.finetuneLearningRate = learningRate;
            return this;
        }

        public Builder optOptimizer(OptimizerConfig optimizer) {
            this.optimizer = optimizer;
            return this;
        }

        public Builder optSchedule(ScheduleKind schedule) {
            this.schedule = schedule;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder optThreads(int threads) {
            this.threads = threads;
            return this;
        }

        /** Compare with the architecture trained from scratch, for at most {@code maxEpochs} epochs. */
        public Builder optCompareScratch(int maxEpochs) {
            this.scratchMaxEpochs = maxEpochs;
            return this;
        }

        /** Also stop the scratch run once it has spent {@code joules} of IT energy (0: no energy cap). */
        public Builder optScratchMaxJoules(double joules) {
            this.scratchMaxJoules = joules;
            return this;
        }

        /** With a token encoder and a scratch comparison, also train the zoo's tiny transformer as a second reference. */
        public Builder optScratchTinyTransformer(boolean tiny) {
            this.scratchTinyTransformer = tiny;
            return this;
        }

        public Builder optTokenizer(Path tokenizer) {
            this.tokenizer = tokenizer;
            return this;
        }

        public Builder optMaxTokens(int maxTokens) {
            this.maxTokens = maxTokens;
            return this;
        }

        public Builder optListener(TrainingListener listener) {
            this.listener = listener;
            return this;
        }

        public Builder optVerdantVersion(String verdantVersion) {
            this.verdantVersion = verdantVersion;
            return this;
        }

        /**
         * The fraction of the training data held out, when fine-tuning, to choose the fine-tuning epoch kept
         * (default {@value TransferConfig#DEFAULT_VALIDATION_FRACTION}); 0 for none.
         */
        public Builder optValidation(double fraction) {
            this.validationFraction = fraction;
            return this;
        }

        /**
         * With no cut given, nothing unfrozen and no head model given ({@link Head.Given}), choose the cut and every other setting left unset (head, learning
         * rate, epochs) on a validation split of the training data instead of taking the fixed defaults; an unset
         * batch size becomes {@value TransferConfig#CHOSEN_SETTINGS_BATCH_SIZE}. Image backbones only: a token
         * encoder has one cut, and a run that is to choose settings for one fails with one line. Off by default.
         */
        public Builder optChooseUnset(boolean choose) {
            this.chooseUnset = choose;
            return this;
        }

        public TransferConfig build() {
            float rate = learningRate != null ? learningRate : optimizer.defaultLearningRate();
            Set<Setting> toChoose = EnumSet.noneOf(Setting.class);
            // a head model the user brings reads a fixed feature size: it fixes the cut, so nothing is chosen
            if (chooseUnset && cut == null && unfreezeLast == 0 && !(head instanceof Head.Given)) {
                toChoose.add(Setting.CUT);
                if (!headGiven) {
                    toChoose.add(Setting.HEAD);
                }
                if (learningRate == null) {
                    toChoose.add(Setting.LEARNING_RATE);
                }
                if (!epochsGiven) {
                    toChoose.add(Setting.EPOCHS);
                }
            }
            int batch = batchSize != null ? batchSize : toChoose.isEmpty() ? 64 : CHOSEN_SETTINGS_BATCH_SIZE;
            return new TransferConfig(Optional.ofNullable(cut), head, unfreezeLast, epochs,
                    finetuneEpochs != null ? finetuneEpochs : epochs, batch, rate,
                    finetuneLearningRate != null ? finetuneLearningRate : rate / 10, optimizer, schedule, seed,
                    threads, scratchMaxEpochs, scratchMaxJoules, scratchTinyTransformer, Optional.ofNullable(tokenizer), maxTokens, listener,
                    verdantVersion, validationFraction, toChoose);
        }
    }
}
