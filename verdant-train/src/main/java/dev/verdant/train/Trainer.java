package dev.verdant.train;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.data.FeatureDataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Trains an ONNX classifier on a labelled dataset: seeded shuffles each epoch, one {@link TrainingSession} step per
 * batch, and after each epoch the exported model is evaluated in ONNX Runtime on the held-out data, so the accuracy
 * reported is the accuracy of the file a user gets. After each epoch the listener receives a checkpoint (the model
 * with the weights so far and its {@link Provenance}); the last one is the result's model.
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
     * {@code attention_mask}, {@code token_type_ids}) on tokenized texts.
     *
     * @param startedFrom what the weights start from, for the provenance ({@code zoo:lenet5}, a file name)
     */
    public TrainingResult fit(ModelProto model, String startedFrom, TrainingData train, TrainingData test) {
        if (train.size() == 0 || test.size() == 0) {
            throw new IllegalArgumentException("training needs non-empty training and held-out data");
        }
        int stepsPerEpoch = train.batchCount(config.batchSize());
        LearningRateSchedule schedule = config.schedule().build(config.learningRate(),
                (long) stepsPerEpoch * config.epochs(), config.warmupSteps());
        TrainingListener listener = config.listener();
        Optional<EnergyProbe> energy = config.energy();
        double energyAtStart = energy.map(p -> p.spentSoFar().joules()).orElse(Double.NaN);
        long runStart = System.nanoTime();
        double initialAccuracy;
        List<EpochResult> epochs = new ArrayList<>();
        try (TrainingSession session = new TrainingSession(model, config, schedule)) {
            initialAccuracy = evaluate(session.export(java.util.Map.of()), test).accuracy();
            Random shuffle = new Random(config.seed()); // one shuffle seed per epoch, all fixed by the run's seed
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                long epochStart = System.nanoTime();
                double energyAtEpochStart = energy.map(p -> p.spentSoFar().joules()).orElse(Double.NaN);
                listener.epochStarted(epoch, config.epochs(), stepsPerEpoch, train.size());
                int[] seen = {0};
                double meanLoss = train.epoch(session, config.batchSize(), shuffle.nextLong(), config.augmentation(),
                        epoch,
                        (samples, loss) -> {
                            seen[0] += samples;
                            double elapsed = (System.nanoTime() - epochStart) / 1e9;
                            listener.stepFinished(samples, loss, seen[0] / elapsed,
                                    energy.map(p -> p.spentSoFar().joules() - energyAtStart).orElse(Double.NaN));
                            return true;
                        });
                double trainSeconds = (System.nanoTime() - epochStart) / 1e9;
                OrtClassifier.Evaluation evaluation = evaluate(session.export(java.util.Map.of()), test);
                double seconds = (System.nanoTime() - epochStart) / 1e9;
                Double epochEnergy = energy.map(p -> p.spentSoFar().joules() - energyAtEpochStart).orElse(null);
                EpochResult result = new EpochResult(epoch, meanLoss, evaluation.accuracy(),
                        evaluation.loss(), seconds, train.size() / trainSeconds, epochEnergy);
                epochs.add(result);
                listener.epochFinished(result);
                Provenance provenance = provenance(startedFrom, train, epoch, result.testAccuracy(), schedule,
                        (System.nanoTime() - runStart) / 1e9,
                        energy.map(p -> p.spentSoFar().joules() - energyAtStart), energy);
                ModelProto checkpoint = session.export(provenance.toMetadata());
                listener.checkpointReady(epoch, checkpoint);
                if (epoch == config.epochs()) {
                    return new TrainingResult(checkpoint, epochs, initialAccuracy, provenance);
                }
            }
            throw new IllegalStateException("unreachable: a run has at least one epoch");
        }
    }

    private Provenance provenance(String startedFrom, TrainingData train, int epochsDone, double testAccuracy,
            LearningRateSchedule schedule, double seconds, Optional<Double> joules, Optional<EnergyProbe> energy) {
        String data = config.augmentation().isIdentity() ? train.name()
                : train.name() + " augmented " + config.augmentation().describe();
        return new Provenance(startedFrom, data, train.size(), epochsDone, config.batchSize(), config.seed(),
                config.optimizer().describe(), schedule.describe(), config.loss().describe(),
                String.join(",", config.freeze()), testAccuracy, seconds, joules,
                energy.map(p -> p.method().label() + ", " + p.description()), config.verdantVersion());
    }

    private OrtClassifier.Evaluation evaluate(ModelProto model, TrainingData test) {
        return test.evaluate(model, config.threads(), config.evalBatchSize());
    }
}
