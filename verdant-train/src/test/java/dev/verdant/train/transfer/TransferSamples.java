package dev.verdant.train.transfer;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.data.Datasets;
import dev.verdant.data.ImageDataset;
import dev.verdant.data.Split;
import dev.verdant.train.FashionMnistSample;
import dev.verdant.train.TrainConfig;
import dev.verdant.train.Trainer;
import dev.verdant.train.zoo.LeNet5;

/**
 * The small real transfer the tests run: a LeNet-5 trained for three epochs on the committed MNIST digits sample,
 * and the committed Fashion-MNIST sample split 80/20 by class (800 training, 200 held-out images).
 *
 * @param digitsNet the pretrained backbone
 * @param train     Fashion-MNIST training images
 * @param test      Fashion-MNIST held-out images
 */
record TransferSamples(ModelProto digitsNet, ImageDataset train, ImageDataset test) {

    /** Trains the digits net and loads the images (a few seconds). */
    static TransferSamples load() {
        ImageDataset digits = Datasets.images(Datasets.resolve(Datasets.MNIST_DIGITS_SAMPLE),
                Datasets.MNIST_DIGITS_SAMPLE).loadAll();
        TrainConfig config = TrainConfig.builder().setEpochs(3).optBatchSize(20).optThreads(1).build();
        ModelProto digitsNet = new Trainer(config).fit(LeNet5.standard(5).build(), "zoo:lenet5", digits, digits)
                .model();
        ImageDataset fashion = FashionMnistSample.images();
        Split<ImageDataset> split = fashion.stratifiedSplit(0.8, 2);
        return new TransferSamples(digitsNet, split.train(), split.heldOut());
    }
}
