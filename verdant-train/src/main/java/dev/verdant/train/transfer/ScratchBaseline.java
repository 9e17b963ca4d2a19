package dev.verdant.train.transfer;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.verdant.data.Batch;
import dev.verdant.data.FeatureDataset;
import dev.verdant.energy.EnergyReport;
import dev.verdant.energy.TrackedRun;
import dev.verdant.energy.TrackedTask;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.Tensors;
import dev.verdant.train.EpochResult;
import dev.verdant.train.LearningRateSchedule;
import dev.verdant.train.OrtClassifier;
import dev.verdant.train.TrainConfig;
import dev.verdant.train.TrainingSession;
import dev.verdant.train.zoo.WeightInit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * The measured counterfactual of a transfer run: the same architecture, every weight drawn afresh, trained on the
 * same data with the same optimizer until its held-out accuracy in ONNX Runtime reaches a target, or a cap of
 * epochs. The energy it spent until then is what transfer learning saved.
 */
public final class ScratchBaseline {

    private ScratchBaseline() {
    }

    /**
     * What the scratch run did.
     *
     * @param reached          whether it reached the target accuracy within the cap
     * @param epochs           epochs run (the epoch it reached the target, or the cap)
     * @param accuracy         held-out accuracy after the last epoch run
     * @param accuracyByEpoch  held-out accuracy after each epoch
     * @param energy           the energy of the whole scratch run (training and the per-epoch evaluations)
     */
    public record Result(boolean reached, int epochs, double accuracy, List<Double> accuracyByEpoch,
            EnergyReport energy) {
        public Result {
            accuracyByEpoch = List.copyOf(accuracyByEpoch);
        }
    }

    /**
     * {@code model} with every floating-point weight drawn afresh: He-normal for weights of rank 2 and more (fan-in
     * from the layout its consumer reads: Conv {@code [out, in, k, k]}, Gemm with or without {@code transB}, MatMul
     * {@code [in, out]}), zero for biases, and batch normalisation reset to scale 1, shift 0, mean 0, variance 1.
     */
    public static ModelProto reinitialize(ModelProto model, long seed) {
        OnnxGraph graph = OnnxGraph.of(model);
        SplittableRandom random = new SplittableRandom(seed);
        GraphProto.Builder builder = model.getGraph().toBuilder().clearInitializer();
        for (TensorProto initializer : model.getGraph().getInitializerList()) {
            if (!DataType.of(initializer).isFloatingPoint() || DataType.of(initializer) != DataType.FLOAT) {
                builder.addInitializer(initializer);
                continue;
            }
            long[] dims = Tensors.dims(initializer);
            int count = Math.toIntExact(Tensors.elementCount(initializer));
            float[] values;
            if (dims.length >= 2) {
                long fanIn = fanIn(graph, initializer.getName(), dims);
                values = WeightInit.HE_NORMAL.sample(count, fanIn, dims[0], random);
            } else {
                values = new float[count];
                if (isBatchNormOne(graph, initializer.getName())) {
                    Arrays.fill(values, 1f);
                }
            }
            builder.addInitializer(Tensors.ofFloats(initializer.getName(), dims, values));
        }
        return model.toBuilder().setGraph(builder).build();
    }

    private static long fanIn(OnnxGraph graph, String weight, long[] dims) {
        for (NodeProto consumer : graph.consumers(weight)) {
            switch (consumer.getOpType()) {
                case "Gemm" -> {
                    boolean transposed = Attributes.getInt(consumer, "transB", 0) == 1;
                    return transposed ? dims[1] : dims[0];
                }
                case "MatMul" -> {
                    return dims[dims.length - 2];
                }
                default -> {
                    // Conv and the rest: [out, in, ...]
                }
            }
        }
        return Arrays.stream(dims).skip(1).reduce(1, Math::multiplyExact);
    }

    /** Batch normalisation's scale (input 1) and variance (input 4) start at one. */
    private static boolean isBatchNormOne(OnnxGraph graph, String name) {
        for (NodeProto consumer : graph.consumers(name)) {
            if (consumer.getOpType().equals("BatchNormalization")) {
                int index = consumer.getInputList().indexOf(name);
                return index == 1 || index == 4;
            }
        }
        return false;
    }

    /**
     * Trains {@code model} (already reinitialized) epoch by epoch, evaluating the exported model in ONNX Runtime
     * after each, and stops at the first epoch whose held-out accuracy reaches {@code target} or after
     * {@code maxEpochs}. The learning-rate schedule spans {@code maxEpochs}, as a user who does not know when the
     * target falls would set it.
     *
     * @param run the energy run the scratch training is measured under, as its own task
     */
    public static Result trainUntil(ModelProto model, TrainConfig config, FeatureDataset<?> train,
            FeatureDataset<?> test, double target, int maxEpochs, TrackedRun run) {
        if (maxEpochs < 1) {
            throw new IllegalArgumentException("the scratch cap must be at least one epoch, got " + maxEpochs);
        }
        List<Double> accuracies = new ArrayList<>();
        boolean reached = false;
        warmUp(model, config, train, test);
        try (TrackedTask task = run.task("scratch")) {
            int stepsPerEpoch = train.batchCount(config.batchSize(), false);
            LearningRateSchedule schedule = config.schedule().build(config.learningRate(),
                    (long) stepsPerEpoch * maxEpochs, config.warmupSteps());
            try (TrainingSession session = new TrainingSession(model, config, schedule)) {
                Random shuffle = new Random(config.seed());
                for (int epoch = 1; epoch <= maxEpochs && !reached; epoch++) {
                    long start = System.nanoTime();
                    double energyAtStart = run.itEnergySoFar().joules();
                    double lossSum = epochLoss(session, train, config.batchSize(), shuffle.nextLong(), epoch);
                    double trainSeconds = (System.nanoTime() - start) / 1e9;
                    OrtClassifier.Evaluation evaluation;
                    try (OrtClassifier classifier = OrtClassifier.load(session.export(Map.of()), config.threads())) {
                        evaluation = classifier.evaluate(test, config.evalBatchSize());
                    }
                    double accuracy = evaluation.accuracy();
                    accuracies.add(accuracy);
                    config.listener().epochFinished(new EpochResult(epoch, lossSum, accuracy,
                            evaluation.loss(), (System.nanoTime() - start) / 1e9, train.size() / trainSeconds,
                            run.itEnergySoFar().joules() - energyAtStart));
                    reached = accuracy >= target;
                }
            }
            EnergyReport energy = task.stop();
            return new Result(reached, accuracies.size(), accuracies.get(accuracies.size() - 1), accuracies, energy);
        }
    }

    /**
     * One step and one evaluation on a few samples, unmeasured, so the JIT has compiled this path before the
     * measured run starts, as it has for the transfer.
     */
    private static void warmUp(ModelProto model, TrainConfig config, FeatureDataset<?> train, FeatureDataset<?> test) {
        int count = Math.min(32, Math.min(train.size(), test.size()));
        LearningRateSchedule schedule = config.schedule().build(config.learningRate(), 1, 0);
        try (TrainingSession session = new TrainingSession(model, config, schedule)) {
            session.step(train.batch(0, count));
            try (OrtClassifier classifier = OrtClassifier.load(session.export(Map.of()), config.threads())) {
                classifier.evaluate(test.subset(count), count);
            }
        }
    }

    /** One shuffled pass over {@code train}; returns the mean step loss. */
    static double epochLoss(TrainingSession session, FeatureDataset<?> train, int batchSize, long shuffleSeed,
            int epoch) {
        double lossSum = 0;
        int steps = 0;
        for (Batch batch : train.shuffled(shuffleSeed).batches(batchSize)) {
            float loss = session.step(batch);
            if (!Float.isFinite(loss)) {
                throw new IllegalStateException("training diverged (loss " + loss + ") at epoch " + epoch
                        + "; try a smaller learning rate");
            }
            lossSum += loss;
            steps++;
        }
        return lossSum / steps;
    }
}
