package dev.verdant.train.zoo;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.util.List;

/**
 * A multi-layer perceptron; {@link #lenet300100} is LeCun et al.'s LeNet-300-100 (784 -> 300 -> 100 -> 10, ReLU).
 * It takes {@code [N, 1, 28, 28]} images and flattens them first, so it reads the same batches as the CNNs; with
 * {@code flatInput} it takes {@code [N, 784]} instead.
 *
 * @param hidden     widths of the hidden layers, in order
 * @param inputShape one example's shape, e.g. {@code [1, 28, 28]} or {@code [784]}
 */
public record Mlp(List<Integer> hidden, List<Long> inputShape, int classes, Activation activation, long seed)
        implements ImageArchitecture {

    public Mlp {
        hidden = List.copyOf(hidden);
        inputShape = List.copyOf(inputShape);
        if (hidden.stream().anyMatch(h -> h < 1) || classes < 2 || inputShape.isEmpty()) {
            throw new IllegalArgumentException("an MLP needs positive widths, an input shape and 2+ classes");
        }
    }

    /** LeNet-300-100 for 28x28 grey images and 10 classes. */
    public static Mlp lenet300100(long seed) {
        return new Mlp(List.of(300, 100), GREY_28X28, 10, Activation.RELU, seed);
    }

    @Override
    public String id() {
        return "mlp";
    }

    @Override
    public List<Long> exampleShape() {
        return inputShape;
    }

    @Override
    public ModelProto build() {
        ZooGraph zoo = new ZooGraph(this, "MLP " + hidden + " -> " + classes + " (" + activation + ")");
        LayerWriter layers = zoo.layers();
        String x = zoo.input();
        if (inputShape.size() > 1) {
            x = layers.flatten(x);
        }
        int width = Math.toIntExact(inputShape.stream().reduce(1L, (a, b) -> a * b));
        for (int i = 0; i < hidden.size(); i++) {
            x = layers.activation(activation, layers.linear("fc" + (i + 1), x, width, hidden.get(i), activation.init()));
            width = hidden.get(i);
        }
        return zoo.finish(layers.linear("fc" + (hidden.size() + 1), x, width, classes, WeightInit.GLOROT_UNIFORM));
    }
}
