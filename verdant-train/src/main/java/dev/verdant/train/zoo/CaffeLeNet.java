package dev.verdant.train.zoo;

import ai.onnx.proto.OnnxMl.ModelProto;

/**
 * The LeNet-5 of Caffe's MNIST example, the network Han et al.'s Deep Compression (ICLR 2016, Table 1 and 4) prune,
 * share and pack 39x: conv 20@5x5 -> max pool -> conv 50@5x5 -> max pool -> FC 500 -> ReLU -> classes. As in Caffe's
 * {@code lenet_train_test.prototxt}, the convolutions have no activation of their own. 431,080 parameters for 10
 * classes and 2.29 M MACs: seven times the parameters of the classic {@link LeNet5}, most of them in the first
 * fully connected layer (400,500), which is what leaves it the room Deep Compression takes.
 */
public record CaffeLeNet(int classes, long seed) implements ImageArchitecture {

    public CaffeLeNet {
        if (classes < 2) {
            throw new IllegalArgumentException("Caffe's LeNet needs 2+ classes, got " + classes);
        }
    }

    @Override
    public String id() {
        return "lenet5-caffe";
    }

    @Override
    public ModelProto build() {
        ZooGraph zoo = new ZooGraph(this, "LeNet-5 of Caffe's MNIST example (Han et al.'s Deep Compression)");
        LayerWriter layers = zoo.layers();
        WeightInit init = Activation.RELU.init();
        String x = zoo.input();                                                     // [N, 1, 28, 28]
        x = layers.maxPool(layers.conv("conv1", x, 1, 20, 5, 1, 0, 1, true, init), 2, 2);  // [N, 20, 12, 12]
        x = layers.maxPool(layers.conv("conv2", x, 20, 50, 5, 1, 0, 1, true, init), 2, 2); // [N, 50, 4, 4]
        x = layers.activation(Activation.RELU, layers.linear("fc1", layers.flatten(x), 800, 500, init)); // [N, 500]
        return zoo.finish(layers.linear("fc2", x, 500, classes, WeightInit.GLOROT_UNIFORM));
    }
}
