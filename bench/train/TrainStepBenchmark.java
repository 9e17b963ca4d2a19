/*
 * Training steps per second of LeNet-5 two ways, side by side in one JVM: the zoo's ONNX graph run by Verdant's
 * interpreter (dev.verdant.train.TrainingSession), and the same architecture written with DJL's own blocks
 * (SequentialBlock, Conv2d, Linear, Pool) trained by DJL's Trainer. Both use the PyTorch engine with the same
 * threads, the same real Fashion-MNIST batches, the same batch size, loss (softmax cross-entropy) and optimizer
 * (SGD, momentum 0.9, constant rate). Chunks of 10 steps alternate between the two so load from other processes
 * hits both alike; wall-clock and process CPU time are both reported.
 *
 * Run with bench/train/run.sh (see README.md there): args [batch] [steps] [rounds]: each round runs the
 * same [steps] batches through both.
 */

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dev.verdant.data.Batch;
import dev.verdant.data.Datasets;
import dev.verdant.data.ImageDataset;
import dev.verdant.data.Part;
import dev.verdant.train.LearningRateSchedule;
import dev.verdant.train.OptimizerConfig;
import dev.verdant.train.TrainConfig;
import dev.verdant.train.TrainingSession;
import dev.verdant.train.zoo.LeNet5;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

public final class TrainStepBenchmark {

    private static final OptimizerConfig SGD = new OptimizerConfig.Sgd(0.9f, 0f);
    private static final LearningRateSchedule RATE = new LearningRateSchedule.Constant(0.01f);

    /** One way of training: a step on a batch. */
    private interface Stepper extends AutoCloseable {
        float step(Batch batch);

        @Override
        void close();
    }

    public static void main(String[] args) {
        int batchSize = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        var fashion = Datasets.images(Datasets.resolve(Datasets.FASHION_MNIST), Datasets.FASHION_MNIST);
        ImageDataset images = fashion.load(fashion.parts().contains(Part.TRAIN) ? Part.TRAIN : Part.TEST)
                .subset(batchSize * steps);
        List<Batch> batches = new ArrayList<>();
        images.batches(batchSize, true).forEach(batches::add);

        try (Stepper interpreter = interpreter(); Stepper djl = djlBlocks(batchSize)) {
            for (int i = 0; i < 20; i++) { // warm-up: JIT, PyTorch allocator, DJL caches
                interpreter.step(batches.get(i % batches.size()));
                djl.step(batches.get(i % batches.size()));
            }
            // alternate short chunks so load from other processes falls on both alike; count wall and CPU time
            Timing interpreterTime = new Timing();
            Timing djlTime = new Timing();
            int chunk = 10;
            for (int round = 0; round < rounds; round++) {
                for (int from = 0; from < batches.size(); from += chunk) {
                    List<Batch> part = batches.subList(from, Math.min(from + chunk, batches.size()));
                    interpreterTime.run(interpreter, part);
                    djlTime.run(djl, part);
                }
            }
            System.out.printf(Locale.ROOT, "LeNet-5 training steps, batch %d, %d steps each (chunks of %d, alternating), "
                    + "PyTorch intra-op threads %s, %d cores%n", batchSize, interpreterTime.steps, chunk,
                    System.getProperty("ai.djl.pytorch.num_threads", "default"), Runtime.getRuntime().availableProcessors());
            System.out.printf(Locale.ROOT, "%-26s %10s %12s %14s%n", "", "steps/s", "images/s", "CPU ms/step");
            interpreterTime.print("interpreter (ONNX graph)", batchSize);
            djlTime.print("DJL blocks (SequentialBlock)", batchSize);
            System.out.printf(Locale.ROOT, "ratio interpreter / DJL: %.2fx by wall time, %.2fx by CPU time (target >= 0.80x)%n",
                    interpreterTime.stepsPerSecond() / djlTime.stepsPerSecond(),
                    djlTime.cpuMillisPerStep() / interpreterTime.cpuMillisPerStep());
        }
    }

    /** Wall-clock and process CPU time spent in one way of training. */
    private static final class Timing {
        private static final com.sun.management.OperatingSystemMXBean OS =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long wallNanos;
        long cpuNanos;
        int steps;

        void run(Stepper stepper, List<Batch> batches) {
            long cpu = OS.getProcessCpuTime();
            long start = System.nanoTime();
            for (Batch batch : batches) {
                stepper.step(batch);
            }
            wallNanos += System.nanoTime() - start;
            cpuNanos += OS.getProcessCpuTime() - cpu;
            steps += batches.size();
        }

        double stepsPerSecond() {
            return steps / (wallNanos / 1e9);
        }

        double cpuMillisPerStep() {
            return cpuNanos / 1e6 / steps;
        }

        void print(String label, int batchSize) {
            System.out.printf(Locale.ROOT, "%-26s %10.1f %12.0f %14.2f%n", label, stepsPerSecond(),
                    stepsPerSecond() * batchSize, cpuMillisPerStep());
        }
    }

    /** The zoo's LeNet-5 ONNX graph through Verdant's interpreter. */
    private static Stepper interpreter() {
        TrainConfig config = TrainConfig.builder().setEpochs(1).optOptimizer(SGD).build();
        TrainingSession session = new TrainingSession(LeNet5.standard(1).build(), config, RATE);
        return new Stepper() {
            @Override
            public float step(Batch batch) {
                return session.step(batch);
            }

            @Override
            public void close() {
                session.close();
            }
        };
    }

    /** LeNet-5 written with DJL's blocks, trained the way DJL's own examples train (Trainer, forward, step). */
    private static Stepper djlBlocks(int batchSize) {
        SequentialBlock net = new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(5, 5)).optPadding(new Shape(2, 2)).setFilters(6).build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(16).build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(120).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(84).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(10).build());
        Model model = Model.newInstance("lenet5-djl", "PyTorch");
        model.setBlock(net);
        Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(SGD.create(RATE)));
        trainer.initialize(new Shape(batchSize, 1, 28, 28));
        return new Stepper() {
            @Override
            public float step(Batch batch) {
                try (NDManager manager = trainer.getManager().newSubManager()) {
                    NDArray x = manager.create(batch.features(), new Shape(batch.shape()));
                    NDArray y = manager.create(Arrays.stream(batch.labels()).asLongStream().toArray());
                    float loss;
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDList logits = trainer.forward(new NDList(x));
                        NDArray value = trainer.getLoss().evaluate(new NDList(y), logits);
                        collector.backward(value);
                        loss = value.getFloat();
                    }
                    trainer.step();
                    return loss;
                }
            }

            @Override
            public void close() {
                trainer.close();
                model.close();
            }
        };
    }
}
