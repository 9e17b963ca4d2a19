package dev.verdant.examples.train;

import ai.djl.Model;
import ai.djl.metric.Metrics;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingResult;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.translate.TranslateException;
import dev.verdant.energy.EnergyReport;
import dev.verdant.energy.Tracker;
import dev.verdant.energy.djl.EnergyTrainingListener;
import java.io.IOException;
import java.util.Locale;
import java.util.Random;

/**
 * Trains a small multi-layer perceptron with DJL (PyTorch engine) on synthetic data, with Verdant's
 * {@link EnergyTrainingListener} attached: prints each epoch's energy as it ends, then the whole training's.
 */
public final class TrainWithEnergy {

    private static final int FEATURES = 20;
    private static final int CLASSES = 3;
    private static final int ROWS = 2_400;
    private static final int EPOCHS = 4;

    private TrainWithEnergy() {
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws IOException        if DJL cannot read a batch
     * @throws TranslateException if DJL cannot prepare a batch
     */
    public static void main(String[] args) throws IOException, TranslateException {
        Tracker tracker = Tracker.builder().build();
        EnergyTrainingListener energy = new EnergyTrainingListener(tracker, "mlp", TrainWithEnergy::printEpoch);

        try (NDManager manager = NDManager.newBaseManager(); Model model = Model.newInstance("mlp")) {
            model.setBlock(new SequentialBlock()
                    .add(Linear.builder().setUnits(64).build())
                    .add(Activation::relu)
                    .add(Linear.builder().setUnits(CLASSES).build()));
            ArrayDataset dataset = syntheticData(manager, 11);

            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .addEvaluator(new Accuracy())
                    .addTrainingListeners(TrainingListener.Defaults.basic())
                    .addTrainingListeners(energy);
            TrainingResult result;
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.setMetrics(new Metrics());
                trainer.initialize(new Shape(1, FEATURES));
                EasyTrain.fit(trainer, EPOCHS, dataset, null);
                result = trainer.getTrainingResult();
            }
            System.out.printf(Locale.ROOT, "training accuracy after %d epochs: %.3f%n", EPOCHS,
                    result.getTrainEvaluation("Accuracy"));
        }
        EnergyReport total = energy.trainingReport();
        System.out.printf(Locale.ROOT, "training energy: %.3f J (%s) over %d epochs, %.3f mg CO2e%n",
                total.totalEnergy().joules(), total.method().label(), energy.epochReports().size(),
                total.emissions().grams() * 1000);
    }

    private static void printEpoch(EnergyReport epoch) {
        System.out.printf(Locale.ROOT, "%s: %.3f J (%s) in %.2f s%n", epoch.name(), epoch.totalEnergy().joules(),
                epoch.method().label(), epoch.durationSeconds());
    }

    /** Three classes, each a Gaussian cloud around its own centre; shuffled batches of 32. */
    private static ArrayDataset syntheticData(NDManager manager, long seed) {
        Random random = new Random(seed);
        float[][] centres = new float[CLASSES][FEATURES];
        for (float[] centre : centres) {
            for (int f = 0; f < FEATURES; f++) {
                centre[f] = (float) random.nextGaussian();
            }
        }
        float[] features = new float[ROWS * FEATURES];
        float[] labels = new float[ROWS];
        for (int r = 0; r < ROWS; r++) {
            int label = r % CLASSES;
            labels[r] = label;
            for (int f = 0; f < FEATURES; f++) {
                features[r * FEATURES + f] = centres[label][f] + (float) (1.5 * random.nextGaussian());
            }
        }
        NDArray x = manager.create(features, new Shape(ROWS, FEATURES));
        NDArray y = manager.create(labels, new Shape(ROWS));
        return new ArrayDataset.Builder().setData(x).optLabels(y).setSampling(32, true).build();
    }
}
