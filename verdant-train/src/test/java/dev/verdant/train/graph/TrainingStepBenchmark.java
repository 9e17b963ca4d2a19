package dev.verdant.train.graph;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.build.Dim;
import dev.verdant.onnx.build.OnnxModelBuilder;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * Not a test: what the interpreter costs on a training step. LeNet-5 (batch 64, forward and backward) through the
 * interpreter and as the same DJL/PyTorch calls written directly, alternating in one JVM; prints ms per step per
 * round. {@code java -cp ... dev.verdant.train.graph.TrainingStepBenchmark [steps]}.
 */
public final class TrainingStepBenchmark {

    private static final int BATCH = 64;

    private TrainingStepBenchmark() {
    }

    private static float[] gaussian(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian() * 0.1f;
        }
        return values;
    }

    private static ModelProto lenet5(Random random) {
        OnnxModelBuilder b = OnnxModelBuilder.create("lenet5").opset(17);
        String x = b.input("x", DataType.FLOAT, Dim.named("N"), Dim.of(1), Dim.of(28), Dim.of(28));
        String y = b.node("Conv").inputs(x, b.initializer("c1w", new long[] {6, 1, 5, 5}, gaussian(random, 150)),
                b.initializer("c1b", new long[] {6}, gaussian(random, 6)))
                .attribute(Attributes.ofInts("pads", 2, 2, 2, 2)).output();
        y = b.node("Relu").inputs(y).output();
        y = b.node("MaxPool").inputs(y).attributes(Attributes.ofInts("kernel_shape", 2, 2),
                Attributes.ofInts("strides", 2, 2)).output();
        y = b.node("Conv").inputs(y, b.initializer("c2w", new long[] {16, 6, 5, 5}, gaussian(random, 2400)),
                b.initializer("c2b", new long[] {16}, gaussian(random, 16))).output();
        y = b.node("Relu").inputs(y).output();
        y = b.node("MaxPool").inputs(y).attributes(Attributes.ofInts("kernel_shape", 2, 2),
                Attributes.ofInts("strides", 2, 2)).output();
        y = b.node("Flatten").inputs(y).output();
        int[][] layers = {{400, 120}, {120, 84}, {84, 10}};
        for (int i = 0; i < layers.length; i++) {
            int in = layers[i][0];
            int out = layers[i][1];
            y = b.node("Gemm").inputs(y, b.initializer("f" + (i + 1) + "w", new long[] {out, in},
                    gaussian(random, in * out)), b.initializer("f" + (i + 1) + "b", new long[] {out},
                    gaussian(random, out))).attribute(Attributes.ofInt("transB", 1)).output();
            if (i < layers.length - 1) {
                y = b.node("Relu").inputs(y).output();
            }
        }
        b.output(y, DataType.FLOAT, Dim.named("N"), Dim.of(10));
        return b.build();
    }

    /** The same network as direct DJL calls on the compiled graph's parameters. */
    private static NDArray direct(Map<String, NDArray> p, NDArray x) {
        Shape one = new Shape(1, 1);
        NDArray h = x.getNDArrayInternal().convolution(x, p.get("c1w"), p.get("c1b"), one, new Shape(2, 2), one, 1)
                .singletonOrThrow();
        h = h.getNDArrayInternal().relu();
        h = h.getNDArrayInternal().maxPool(new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
        h = h.getNDArrayInternal().convolution(h, p.get("c2w"), p.get("c2b"), one, new Shape(0, 0), one, 1)
                .singletonOrThrow();
        h = h.getNDArrayInternal().relu();
        h = h.getNDArrayInternal().maxPool(new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
        h = h.reshape(BATCH, 400);
        h = h.getNDArrayInternal().linear(h, p.get("f1w"), p.get("f1b")).singletonOrThrow();
        h = h.getNDArrayInternal().relu();
        h = h.getNDArrayInternal().linear(h, p.get("f2w"), p.get("f2b")).singletonOrThrow();
        h = h.getNDArrayInternal().relu();
        return h.getNDArrayInternal().linear(h, p.get("f3w"), p.get("f3b")).singletonOrThrow();
    }

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Random random = new Random(1);
        ModelProto model = lenet5(random);
        float[] data = gaussian(random, BATCH * 784);
        Engine engine = Engine.getEngine("PyTorch");
        try (CompiledGraph graph = GraphInterpreter.compile(model)) {
            String output = graph.outputNames().getFirst();
            Map<String, NDArray> parameters = new HashMap<>();
            graph.parameters().forEach(p -> parameters.put(p.name(), p.array()));
            for (int round = 0; round < 3; round++) {
                long start = System.nanoTime();
                for (int s = 0; s < steps; s++) {
                    try (NDManager batch = graph.manager().newSubManager()) {
                        NDArray x = batch.create(data, new Shape(BATCH, 1, 28, 28));
                        try (GradientCollector collector = engine.newGradientCollector()) {
                            collector.backward(graph.forward(batch, Map.of("x", x), true).get(output).square().sum());
                        }
                        graph.trainableParameters().forEach(p -> p.array().getGradient().close());
                    }
                }
                long interpreted = System.nanoTime() - start;
                start = System.nanoTime();
                for (int s = 0; s < steps; s++) {
                    try (NDManager batch = graph.manager().newSubManager()) {
                        NDArray x = batch.create(data, new Shape(BATCH, 1, 28, 28));
                        parameters.values().forEach(p -> p.tempAttach(batch));
                        try (GradientCollector collector = engine.newGradientCollector()) {
                            collector.backward(direct(parameters, x).square().sum());
                        }
                        graph.trainableParameters().forEach(p -> p.array().getGradient().close());
                    }
                }
                long directNanos = System.nanoTime() - start;
                System.out.printf("round %d: interpreter %.2f ms/step, direct DJL %.2f ms/step, direct/interpreter "
                        + "%.2f%n", round, interpreted / 1e6 / steps, directNanos / 1e6 / steps,
                        (double) directNanos / interpreted);
            }
        }
    }
}
