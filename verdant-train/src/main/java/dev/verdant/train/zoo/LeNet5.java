package dev.verdant.train.zoo;

import ai.onnx.proto.OnnxMl.ModelProto;

/**
 * LeNet-5 for 28x28 grey images: conv 6@5x5 (pad 2) -> pool -> conv 16@5x5 -> pool -> FC 120 -> 84 -> classes.
 * The modern reading of LeCun et al. (1998): ReLU (or the original tanh) and 2x2 max pooling instead of trainable
 * subsampling; optional batch normalisation after each convolution. About 62k parameters and 0.42 M MACs.
 */
public record LeNet5(int classes, Activation activation, boolean batchNorm, long seed) implements ImageArchitecture {

    public LeNet5 {
        if (classes < 2) {
            throw new IllegalArgumentException("LeNet-5 needs 2+ classes, got " + classes);
        }
    }

    /** ReLU, no batch norm, 10 classes. */
    public static LeNet5 standard(long seed) {
        return new LeNet5(10, Activation.RELU, false, seed);
    }

    @Override
    public String id() {
        return "lenet5";
    }

    @Override
    public ModelProto build() {
        ZooGraph zoo = new ZooGraph(this, "LeNet-5 (" + activation + (batchNorm ? ", batch norm" : "") + ")");
        LayerWriter layers = zoo.layers();
        WeightInit init = activation.init();
        String x = zoo.input();                                                   // [N, 1, 28, 28]
        x = layers.conv("conv1", x, 1, 6, 5, 1, 2, 1, !batchNorm, init);           // [N, 6, 28, 28]
        x = batchNorm ? layers.batchNorm("bn1", x, 6) : x;
        x = layers.maxPool(layers.activation(activation, x), 2, 2);               // [N, 6, 14, 14]
        x = layers.conv("conv2", x, 6, 16, 5, 1, 0, 1, !batchNorm, init);          // [N, 16, 10, 10]
        x = batchNorm ? layers.batchNorm("bn2", x, 16) : x;
        x = layers.flatten(layers.maxPool(layers.activation(activation, x), 2, 2)); // [N, 400]
        x = layers.activation(activation, layers.linear("fc1", x, 400, 120, init)); // [N, 120]
        x = layers.activation(activation, layers.linear("fc2", x, 120, 84, init));  // [N, 84]
        return zoo.finish(layers.linear("fc3", x, 84, classes, WeightInit.GLOROT_UNIFORM));
    }
}
