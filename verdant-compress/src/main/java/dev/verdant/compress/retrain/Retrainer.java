package dev.verdant.compress.retrain;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.data.DataSource;
import dev.verdant.data.Datasets;
import dev.verdant.data.ImageDataset;
import dev.verdant.data.PartlyLabelled;
import dev.verdant.data.Split;
import dev.verdant.energy.EnergyReport;
import dev.verdant.energy.Measured;
import dev.verdant.energy.Tracker;
import dev.verdant.train.OptimizerConfig;
import dev.verdant.train.ScheduleKind;
import dev.verdant.train.StepHook;
import dev.verdant.train.Teacher;
import dev.verdant.train.TrainConfig;
import dev.verdant.train.TrainingData;
import dev.verdant.train.Trainer;
import dev.verdant.train.TrainingListener;
import dev.verdant.train.TrainingLoss;
import dev.verdant.train.TrainingResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Fine-tunes a model inside a compression step: loads the labelled data once (its train part, or a seeded split),
 * trains with the training engine (AdamW, cosine schedule) while the energy module measures, and reports accuracy in
 * ONNX Runtime before and after, with the energy the training spent.
 */
public final class Retrainer {

    /**
     * Asks for the default validation set: {@link #DEFAULT_VALIDATION_EXAMPLES} training examples, or a tenth of the
     * training part when that is smaller (so a small data set still leaves most of itself to train on).
     */
    public static final int DEFAULT_VALIDATION = -1;

    /** The size of the default validation set on a large training part. */
    public static final int DEFAULT_VALIDATION_EXAMPLES = 5000;

    private final TrainingSetup setup;
    private final String step;
    private final Split<ImageDataset> data;
    private final ImageDataset validation;
    private final ImageDataset unused;   // training images left out by the cap on examples, or null
    private final String dataDescription;

    /** Loads the data {@code setup} names for {@code step}; fails with one line when there is none. */
    public Retrainer(TrainingSetup setup, String step, int maxExamples) {
        this(setup, step, maxExamples, 0);
    }

    /**
     * Loads the data as the three-argument constructor does, and also keeps {@code validationExamples} training
     * examples out of training as a validation set, so a step can choose settings without looking at the held-out
     * (test) part; {@link #DEFAULT_VALIDATION} keeps the default number. With a cap on training examples, the validation examples are the ones after the training subset in
     * the same seeded shuffle, so the training subset is the same as without validation.
     */
    public Retrainer(TrainingSetup setup, String step, int maxExamples, int validationExamples) {
        this.setup = setup;
        this.step = step;
        String spec = setup.requireData(step);
        DataSource<ImageDataset> source = Datasets.images(Datasets.resolve(spec), spec);
        Split<ImageDataset> split = source.trainTest(DataSource.DEFAULT_HELD_OUT_FRACTION, setup.seed());
        ImageDataset train = split.train();
        ImageDataset kept = null;
        ImageDataset left = null;
        if (validationExamples == DEFAULT_VALIDATION) {
            validationExamples = Math.min(DEFAULT_VALIDATION_EXAMPLES, Math.max(1, train.size() / 10));
        }
        if (validationExamples > 0) {
            if (validationExamples >= train.size()) {
                throw new IllegalArgumentException(step + ": a validation set of " + validationExamples
                        + " examples leaves none of the " + train.size() + " training examples to train on; "
                        + "keep fewer (validation=N)");
            }
            ImageDataset shuffled = train.shuffled(setup.seed());
            int trainCount = Math.min(maxExamples > 0 ? maxExamples : train.size(),
                    train.size() - validationExamples);
            train = shuffled.subset(trainCount);
            kept = shuffled.select(IntStream.range(trainCount, trainCount + validationExamples)
                    .toArray());
            left = rest(shuffled, trainCount + validationExamples);
        } else if (maxExamples > 0 && maxExamples < train.size()) {
            ImageDataset shuffled = train.shuffled(setup.seed());
            train = shuffled.subset(maxExamples); // a random subset keeps every class
            left = rest(shuffled, maxExamples);
        }
        this.data = new Split<>(train, split.heldOut());
        this.validation = kept;
        this.unused = left;
        this.dataDescription = source.description();
    }

    private static ImageDataset rest(ImageDataset shuffled, int from) {
        return from >= shuffled.size() ? null
                : shuffled.select(IntStream.range(from, shuffled.size()).toArray()).withName(shuffled.name()
                        + " beyond the first " + from);
    }

    /**
     * The training-part images this retrainer does not use, because a cap on examples left them out (the rest of
     * the same seeded shuffle, disjoint from the training subset, the validation examples and the held-out part):
     * what a distillation transfer set of unlabelled images can be. Empty without a cap, or when the cap takes all.
     */
    public Optional<ImageDataset> unusedTraining() {
        return Optional.ofNullable(unused);
    }

    /** The training and held-out data. */
    public Split<ImageDataset> data() {
        return data;
    }

    /**
     * What one fine-tuning run gave.
     *
     * @param model          the trained model (with the training provenance in its metadata)
     * @param accuracyBefore held-out accuracy in ONNX Runtime before training
     * @param accuracyAfter  held-out accuracy in ONNX Runtime after the last epoch
     * @param steps          optimizer steps taken
     * @param seconds        wall time of the training
     * @param energyJoules   IT energy the training spent
     * @param energyMethod   how the energy was obtained (measured counter or estimate)
     */
    public record Retrained(ModelProto model, double accuracyBefore, double accuracyAfter, long steps, double seconds,
            double energyJoules, String energyMethod) {

        /** The figures as report facts, prefixed by {@code phase} (e.g. {@code retrain}). */
        public Map<String, Object> facts(String phase) {
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put(phase + "AccuracyBefore", accuracyBefore);
            facts.put(phase + "AccuracyAfter", accuracyAfter);
            facts.put(phase + "Steps", steps);
            facts.put(phase + "Seconds", seconds);
            facts.put(phase + "EnergyJoules", energyJoules);
            facts.put(phase + "EnergyMethod", energyMethod);
            return facts;
        }
    }

    /** The validation examples kept out of training (disjoint from both parts of {@link #data()}). */
    public ImageDataset validation() {
        if (validation == null) {
            throw new IllegalStateException("this retrainer keeps no validation examples");
        }
        return validation;
    }

    /** Optimizer steps one run of {@code options} takes over the training data. */
    public long stepsFor(RetrainingOptions options) {
        return (long) data.train().batchCount(options.batchSize(), false) * options.epochs();
    }

    /** Optimizer steps one run of {@code options} takes over {@code data}. */
    private static long stepsFor(RetrainingOptions options, TrainingData data) {
        return (long) data.batchCount(options.batchSize()) * options.epochs();
    }

    /**
     * Trains {@code model}.
     *
     * @param startedFrom what the weights start from, for provenance
     * @param hook        adjusts gradients and weights around each update
     * @param listener    hears every step (schedules read the step count from it); the setup's progress hears the
     *                    run too
     * @param loss        the objective
     * @param teacher     the teacher a distillation loss reads (run on every batch or cached), or null
     */
    public Retrained train(ModelProto model, String startedFrom, RetrainingOptions options, StepHook hook,
            TrainingListener listener, TrainingLoss loss, Teacher teacher) {
        return train(model, startedFrom, options, hook, listener, loss, teacher, TrainingData.of(data.train()));
    }

    /**
     * Trains {@code model} as {@link #train(ModelProto, String, RetrainingOptions, StepHook, TrainingListener,
     * TrainingLoss, Teacher)} does, on the training images together with {@code unlabelled} images that only the
     * teacher scores (a distillation transfer set).
     */
    public Retrained train(ModelProto model, String startedFrom, RetrainingOptions options, StepHook hook,
            TrainingListener listener, TrainingLoss loss, Teacher teacher, ImageDataset unlabelled) {
        return train(model, startedFrom, options, hook, listener, loss, teacher,
                TrainingData.of(new PartlyLabelled(data.train(), unlabelled)));
    }

    private Retrained train(ModelProto model, String startedFrom, RetrainingOptions options, StepHook hook,
            TrainingListener listener, TrainingLoss loss, Teacher teacher, TrainingData trainingData) {
        TrainConfig.Builder config = TrainConfig.builder().setEpochs(options.epochs())
                .optBatchSize(options.batchSize()).optSeed(setup.seed()).optOptimizer(OptimizerConfig.adamW())
                .optLearningRate(options.learningRate()).optSchedule(ScheduleKind.COSINE)
                .optThreads(setup.threads()).optStepHook(hook)
                .optListener(TrainingListener.all(listener, setup.progress().listenerFor(step))).optLoss(loss)
                .optAugmentation(options.augmentation())
                .optVerdantVersion(setup.version());
        Optional.ofNullable(teacher).ifPresent(config::optTeacher);
        Trainer trainer = new Trainer(config.build());
        Measured<TrainingResult> measured;
        try {
            measured = Tracker.measure("verdant compress: retraining", () -> trainer.fit(model, startedFrom,
                    trainingData, TrainingData.of(data.heldOut())));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("retraining failed: " + e.getMessage(), e);
        }
        TrainingResult result = measured.value();
        EnergyReport energy = measured.report();
        return new Retrained(result.model(), result.initialAccuracy(), result.finalAccuracy(),
                stepsFor(options, trainingData), result.provenance().seconds(), energy.itEnergy().joules(),
                energy.method().label());
    }

    /** The data's description, for reports. */
    public String dataDescription() {
        return dataDescription;
    }
}
