package dev.verdant.train;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.data.FeatureDataset;
import dev.verdant.onnx.Provenance;
import dev.verdant.runtime.OrtClassifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Trains an ONNX classifier on a labelled dataset: seeded shuffles each epoch, one {@link TrainingSession} step per
 * batch, and after each epoch the exported model is evaluated in ONNX Runtime on the held-out data, so the accuracy
 * reported is the accuracy of the file a user gets. After each epoch the listener receives a checkpoint (the model
 * with the weights so far and its {@link TrainingProvenance}); the last one is the result's model, unless the config holds
 * out a validation split of the training data ({@link TrainConfig.Builder#optValidation}): then the checkpoint of
 * the epoch with the best validation accuracy is (ties to the earlier epoch), so an overfitting run keeps its best
 * epoch without ever choosing on the held-out data.
 *
 * <pre>{@code
 * TrainConfig config = TrainConfig.builder().setEpochs(10).optOptimizer(OptimizerConfig.adamW()).build();
 * TrainingResult result = new Trainer(config).fit(LeNet5.standard(1).build(), "zoo:lenet5", train, test);
 * OnnxModels.write(result.model(), Path.of("lenet5.onnx"));
 * }</pre>
 */
public final class Trainer {

    private final TrainConfig config;

    public Trainer(TrainConfig config) {
        this.config = config;
    }

    /**
     * Trains {@code model} on {@code train}, evaluating on {@code test} before the first and after every epoch.
     *
     * @param startedFrom what the weights start from, for the provenance ({@code zoo:lenet5}, a file name)
     */
    public TrainingResult fit(ModelProto model, String startedFrom, FeatureDataset<?> train, FeatureDataset<?> test) {
        return fit(model, startedFrom, TrainingData.of(train), TrainingData.of(test));
    }

    /**
     * Trains {@code model} on {@code train}, evaluating on {@code test} before the first and after every epoch: a
     * one-input model on feature vectors, or an encoder classifier (reading {@code input_ids},
     * {@code attention_mask}, {@code token_type_ids}) on tokenized texts. With a validation fraction in the config,
     * that part of {@code train} is held out, scored after every epoch, and chooses the epoch whose model is returned;
     * {@code test} never chooses anything, so its accuracy stays an unbiased figure.
     *
     * @param startedFrom what the weights start from, for the provenance ({@code zoo:lenet5}, a file name)
     */
    public TrainingResult fit(ModelProto model, String startedFrom, TrainingData train, TrainingData test) {
        if (train.size() == 0 || test.size() == 0) {
            throw new IllegalArgumentException("training needs non-empty training and held-out data");
        }
        if (config.validates()) {
            TrainingData.ValidationSplit split = train.split(config.validationFraction(), config.seed());
            return fit(model, startedFrom, split.train(), Optional.of(split.validation()), test);
        }
        return fit(model, startedFrom, train, Optional.empty(), test);
    }

    /**
     * Trains {@code model} on {@code data.train()} and returns the checkpoint of the epoch with the best accuracy on
     * {@code data.validation()} (ties to the earlier epoch), evaluating on {@code test} as {@link #fit(ModelProto,
     * String, TrainingData, TrainingData)} does: for a caller that split its data before an earlier phase, so that
     * phase kept off the same validation samples.
     *
     * @throws IllegalArgumentException when the config also asks for a validation fraction (the data would be split
     *                                  twice)
     */
    public TrainingResult fit(ModelProto model, String startedFrom, TrainingData.ValidationSplit data,
            TrainingData test) {
        if (config.validates()) {
            throw new IllegalArgumentException("the data is already split for validation; the config's validation"
                    + " fraction " + config.validationFraction() + " would split it again");
        }
        if (data.train().size() == 0 || data.validation().size() == 0 || test.size() == 0) {
            throw new IllegalArgumentException("training needs non-empty training, validation and held-out data");
        }
        return fit(model, startedFrom, data.train(), Optional.of(data.validation()), test);
    }

    private TrainingResult fit(ModelProto model, String startedFrom, TrainingData train,
            Optional<TrainingData> validation, TrainingData test) {
        if (train.hasUnlabelled() && !config.loss().needsTeacher()) {
            throw new IllegalArgumentException(TrainingSession.unlabelledNeedsTeacher(config.loss()));
        }
        int stepsPerEpoch = train.batchCount(config.batchSize());
        int validationSamples = validation.map(TrainingData::size).orElse(0);
        LearningRateSchedule schedule = config.schedule().build(config.learningRate(),
                (long) stepsPerEpoch * config.epochs(), config.warmupSteps());
        TrainingListener listener = config.listener();
        Optional<EnergyProbe> energy = config.energy();
        double energyAtStart = energy.map(p -> p.spentSoFar().joules()).orElse(Double.NaN);
        long runStart = System.nanoTime();
        double initialAccuracy;
        List<EpochResult> epochs = new ArrayList<>();
        ModelProto kept = null; // the checkpoint the run returns: the last, or the best on validation so far
        int keptEpoch = 0;
        double bestValidation = Double.NEGATIVE_INFINITY;
        TrainingProvenance lastProvenance = null;
        try (TrainingSession session = new TrainingSession(model, config, schedule)) {
            initialAccuracy = evaluate(session.export(Map.of()), test).accuracy();
            Random shuffle = new Random(config.seed()); // one shuffle seed per epoch, all fixed by the run's seed
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                long epochStart = System.nanoTime();
                double energyAtEpochStart = energy.map(p -> p.spentSoFar().joules()).orElse(Double.NaN);
                listener.epochStarted(epoch, config.epochs(), stepsPerEpoch, train.size());
                double meanLoss = train.epoch(session, config.batchSize(), shuffle.nextLong(), config.augmentation(),
                        epoch, new EpochProgress(listener, epochStart,
                                () -> energy.map(p -> p.spentSoFar().joules() - energyAtStart).orElse(Double.NaN),
                                spent -> true));
                double trainSeconds = (System.nanoTime() - epochStart) / 1e9;
                OrtClassifier.Evaluation evaluation;
                Double validationAccuracy;
                try (OrtClassifier exported = OrtClassifier.load(session.export(Map.of()), config.threads())) {
                    evaluation = test.evaluate(exported, config.evalBatchSize());
                    validationAccuracy = validation.map(v -> v.evaluate(exported, config.evalBatchSize()).accuracy())
                            .orElse(null);
                }
                double seconds = (System.nanoTime() - epochStart) / 1e9;
                Double epochEnergy = energy.map(p -> p.spentSoFar().joules() - energyAtEpochStart).orElse(null);
                EpochResult result = new EpochResult(epoch, meanLoss, evaluation.accuracy(),
                        evaluation.loss(), seconds, train.size() / trainSeconds, epochEnergy, validationAccuracy);
                epochs.add(result);
                listener.epochFinished(result);
                TrainingProvenance provenance = provenance(startedFrom, train, epoch, result.testAccuracy(), schedule,
                        (System.nanoTime() - runStart) / 1e9,
                        energy.map(p -> p.spentSoFar().joules() - energyAtStart), energy, validationSamples, epoch);
                ModelProto checkpoint = session.export(provenance.toMetadata());
                listener.checkpointReady(epoch, checkpoint);
                // without validation every epoch replaces the last; with it only a strictly better one does, so a tie
                // keeps the earlier epoch
                if (validationAccuracy == null || validationAccuracy > bestValidation) {
                    kept = checkpoint;
                    keptEpoch = epoch;
                    bestValidation = validationAccuracy == null ? bestValidation : validationAccuracy;
                }
                lastProvenance = provenance;
            }
        }
        if (validation.isEmpty()) {
            return new TrainingResult(kept, epochs, initialAccuracy, lastProvenance, keptEpoch, 0);
        }
        // the kept epoch's weights, with the provenance of the whole run: every epoch's time and energy were spent
        TrainingProvenance provenance = provenance(startedFrom, train, config.epochs(),
                epochs.get(keptEpoch - 1).testAccuracy(), schedule, (System.nanoTime() - runStart) / 1e9,
                energy.map(p -> p.spentSoFar().joules() - energyAtStart), energy, validationSamples, keptEpoch);
        return new TrainingResult(Provenance.withEntries(kept, provenance.toMetadata()), epochs, initialAccuracy,
                provenance, keptEpoch, validationSamples);
    }

    private TrainingProvenance provenance(String startedFrom, TrainingData train, int epochsDone, double testAccuracy,
            LearningRateSchedule schedule, double seconds, Optional<Double> joules, Optional<EnergyProbe> energy,
            int validationSamples, int keptEpoch) {
        String data = config.augmentation().isIdentity() ? train.name()
                : train.name() + " augmented " + config.augmentation().describe();
        return new TrainingProvenance(startedFrom, data, train.size(), epochsDone, config.batchSize(), config.seed(),
                config.optimizer().describe(), schedule.describe(), config.loss().describe(),
                String.join(",", config.freeze()), testAccuracy, seconds, joules,
                energy.map(p -> p.method().label() + ", " + p.description()), config.verdantVersion(),
                validationSamples, keptEpoch);
    }

    private OrtClassifier.Evaluation evaluate(ModelProto model, TrainingData test) {
        return test.evaluate(model, config.threads(), config.evalBatchSize());
    }
}
