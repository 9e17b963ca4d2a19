package dev.verdant.train.transfer;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.verdant.energy.EnergyReport;
import dev.verdant.energy.TrackedRun;
import dev.verdant.energy.TrackedTask;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.Tensors;
import dev.verdant.runtime.ModelInputs;
import dev.verdant.runtime.OrtClassifier;
import dev.verdant.train.EpochProgress;
import dev.verdant.train.EpochResult;
import dev.verdant.train.LearningRateSchedule;
import dev.verdant.train.TrainConfig;
import dev.verdant.train.TrainingData;
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

    /** Samples of the untimed warm-up step and evaluation. */
    private static final int WARM_UP_SAMPLES = 32;

    private ScratchBaseline() {
    }

    /** Why a scratch run stopped. */
    public enum Stop {
        /** It reached the target accuracy. */
        REACHED("reached the target"),
        /** It ran the cap of epochs without reaching the target. */
        EPOCH_CAP("epoch cap"),
        /** It spent its energy budget without reaching the target (possibly within an epoch). */
        ENERGY_BUDGET("energy budget");

        private final String label;

        Stop(String label) {
            this.label = label;
        }

        /** How reports name it. */
        public String label() {
            return label;
        }
    }

    /**
     * How far a scratch run may go before it is called off: a cap of epochs and, when positive, of IT energy as the
     * run's tracker counts it (checked after every step, so a large model stops within an epoch).
     *
     * @param maxEpochs at least one
     * @param maxJoules 0 for no energy cap
     */
    public record Budget(int maxEpochs, double maxJoules) {
        public Budget {
            if (maxEpochs < 1) {
                throw new IllegalArgumentException("the scratch cap must be at least one epoch, got " + maxEpochs);
            }
            if (!(maxJoules >= 0) || Double.isInfinite(maxJoules)) {
                throw new IllegalArgumentException("the scratch energy budget must be a finite number of joules >= 0,"
                        + " got " + maxJoules);
            }
        }

        /** Only a cap of epochs. */
        public static Budget epochs(int maxEpochs) {
            return new Budget(maxEpochs, 0);
        }
    }

    /**
     * What the scratch run did.
     *
     * @param stop             why it stopped
     * @param epochs           epochs begun (the last may be partial when the energy budget ran out)
     * @param steps            optimizer steps taken
     * @param accuracy         held-out accuracy after the last epoch run
     * @param accuracyByEpoch  held-out accuracy after each epoch
     * @param energy           the energy of the whole scratch run (training and the per-epoch evaluations)
     */
    public record Result(Stop stop, int epochs, long steps, double accuracy, List<Double> accuracyByEpoch,
            EnergyReport energy) {
        public Result {
            accuracyByEpoch = List.copyOf(accuracyByEpoch);
        }

        /** Whether it reached the target accuracy within the budget. */
        public boolean reached() {
            return stop == Stop.REACHED;
        }

        /**
         * This run set against the energy of the run it is the counterfactual of: the ratio
         * {@code measured / scratch}, exact when scratch reached the target and an upper bound otherwise (scratch
         * would have spent more to get there).
         *
         * @param reference what the scratch model is, for the report
         */
        public TransferResult.ScratchComparison against(EnergyFigure measured, Budget budget, String reference) {
            EnergyFigure figure = EnergyFigure.of(energy);
            return new TransferResult.ScratchComparison(reference, reached(), stop.label(), epochs, steps, accuracy,
                    accuracyByEpoch, figure, measured.joules() / figure.joules(), reached() ? "=" : "<",
                    budget.maxEpochs(), budget.maxJoules() > 0 ? budget.maxJoules() : null);
        }
    }

    /**
     * {@code model} with every floating-point weight drawn afresh. Image models: He-normal for weights of rank 2 and
     * more (fan-in from the layout its consumer reads: Conv {@code [out, in, k, k]}, Gemm with or without
     * {@code transB}, MatMul {@code [in, out]}). Token encoders (reading {@code input_ids}), as BERT-style encoders
     * and the zoo's transformer start: embedding tables (read by Gather) N(0, 0.02^2), every other matrix Glorot
     * uniform. Biases start at zero; scales (a vector that multiplies: layer and batch normalisation) at one, and
     * batch normalisation's statistics at mean 0, variance 1.
     */
    public static ModelProto reinitialize(ModelProto model, long seed) {
        OnnxGraph graph = OnnxGraph.of(model);
        boolean tokenEncoder = ModelInputs.of(model).readsText();
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
                WeightInit init = !tokenEncoder ? WeightInit.HE_NORMAL
                        : readBy(graph, initializer.getName(), "Gather") ? WeightInit.EMBEDDING_NORMAL
                        : WeightInit.GLOROT_UNIFORM;
                values = init.sample(count, fanIn, count / fanIn, random);
            } else {
                values = new float[count];
                if (startsAtOne(graph, initializer.getName())) {
                    Arrays.fill(values, 1f);
                }
            }
            builder.addInitializer(Tensors.ofFloats(initializer.getName(), dims, values));
        }
        return model.toBuilder().setGraph(builder).build();
    }

    /** {@code what} with its weight count, for reports: "the transfer model's architecture (22,713,610 weights), ...". */
    public static String describe(ModelProto model, String what) {
        long weights = model.getGraph().getInitializerList().stream().filter(t -> DataType.of(t).isFloatingPoint())
                .mapToLong(Tensors::elementCount).sum();
        return String.format(java.util.Locale.ROOT, "%s (%,d weights), every weight re-drawn", what, weights);
    }

    private static boolean readBy(OnnxGraph graph, String name, String opType) {
        return graph.consumers(name).stream().anyMatch(node -> node.getOpType().equals(opType));
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

    /**
     * Scales start at one: batch normalisation's scale (input 1) and variance (input 4), and a vector a Mul reads
     * (the scale of a layer normalisation written as nodes, as exported BERT models have it).
     */
    private static boolean startsAtOne(OnnxGraph graph, String name) {
        for (NodeProto consumer : graph.consumers(name)) {
            if (consumer.getOpType().equals("BatchNormalization")) {
                int index = consumer.getInputList().indexOf(name);
                return index == 1 || index == 4;
            }
            if (consumer.getOpType().equals("Mul") || consumer.getOpType().equals("LayerNormalization")
                    && consumer.getInputList().indexOf(name) == 1) {
                return true;
            }
        }
        return false;
    }

    /**
     * Trains {@code model} (already reinitialized) epoch by epoch, evaluating the exported model in ONNX Runtime
     * after each, and stops at the first epoch whose held-out accuracy reaches {@code target}, after
     * {@code budget.maxEpochs()}, or as soon as a step brings the run's energy past {@code budget.maxJoules()} (the
     * model is then evaluated once more, so its accuracy at the budget is known). The learning-rate schedule spans
     * the cap of epochs, as a user who does not know when the target falls would set it.
     *
     * @param run the energy run the scratch training is measured under, as its own task
     */
    public static Result trainUntil(ModelProto model, TrainConfig config, TrainingData train, TrainingData test,
            double target, Budget budget, TrackedRun run) {
        List<Double> accuracies = new ArrayList<>();
        Stop stop = Stop.EPOCH_CAP;
        long steps;
        warmUp(model, config, train, test);
        try (TrackedTask task = run.task("scratch")) {
            double energyAtStart = run.itEnergySoFar().joules();
            int stepsPerEpoch = train.batchCount(config.batchSize());
            LearningRateSchedule schedule = config.schedule().build(config.learningRate(),
                    (long) stepsPerEpoch * budget.maxEpochs(), config.warmupSteps());
            try (TrainingSession session = new TrainingSession(model, config, schedule)) {
                Random shuffle = new Random(config.seed());
                boolean[] outOfEnergy = {false};
                for (int epoch = 1; epoch <= budget.maxEpochs(); epoch++) {
                    long start = System.nanoTime();
                    double energyAtEpochStart = run.itEnergySoFar().joules();
                    config.listener().epochStarted(epoch, budget.maxEpochs(), stepsPerEpoch, train.size());
                    double loss = train.epoch(session, config.batchSize(), shuffle.nextLong(), epoch,
                            new EpochProgress(config.listener(), start,
                                    () -> run.itEnergySoFar().joules() - energyAtStart, spent -> {
                                        outOfEnergy[0] = budget.maxJoules() > 0 && spent >= budget.maxJoules();
                                        return !outOfEnergy[0];
                                    }));
                    double trainSeconds = (System.nanoTime() - start) / 1e9;
                    OrtClassifier.Evaluation evaluation = test.evaluate(session.export(Map.of()), config.threads(),
                            config.evalBatchSize());
                    accuracies.add(evaluation.accuracy());
                    config.listener().epochFinished(new EpochResult(epoch, loss, evaluation.accuracy(),
                            evaluation.loss(), (System.nanoTime() - start) / 1e9, train.size() / trainSeconds,
                            run.itEnergySoFar().joules() - energyAtEpochStart, null));
                    if (evaluation.accuracy() >= target) {
                        stop = Stop.REACHED;
                        break;
                    }
                    if (outOfEnergy[0]) {
                        stop = Stop.ENERGY_BUDGET;
                        break;
                    }
                }
                steps = session.steps();
            }
            EnergyReport energy = task.stop();
            return new Result(stop, accuracies.size(), steps, accuracies.get(accuracies.size() - 1), accuracies,
                    energy);
        }
    }

    /**
     * One step and one evaluation on a few samples, unmeasured, so the JIT has compiled this path before the
     * measured run starts, as it has for the transfer.
     */
    static void warmUp(ModelProto model, TrainConfig config, TrainingData train, TrainingData test) {
        TrainingData few = train.first(Math.min(WARM_UP_SAMPLES, train.size()));
        LearningRateSchedule schedule = config.schedule().build(config.learningRate(), 1, 0);
        try (TrainingSession session = new TrainingSession(model, config, schedule)) {
            few.epoch(session, few.size(), 0, 0, (n, loss) -> false);
            test.first(Math.min(WARM_UP_SAMPLES, test.size())).evaluate(session.export(Map.of()), config.threads(),
                    WARM_UP_SAMPLES);
        }
    }
}
