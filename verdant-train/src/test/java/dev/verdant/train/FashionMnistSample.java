package dev.verdant.train;

import dev.verdant.data.Datasets;
import dev.verdant.data.ImageDataset;
import dev.verdant.data.Part;

/**
 * The real images the training tests learn on: the committed Fashion-MNIST sample, 1,000 images of the Debian
 * package's test set (its only part), in the file's order.
 */
public final class FashionMnistSample {

    private FashionMnistSample() {
    }

    /** The sample's 1,000 labelled images. */
    public static ImageDataset images() {
        return Datasets.images(Datasets.resolve(Datasets.FASHION_MNIST_SAMPLE), Datasets.FASHION_MNIST_SAMPLE)
                .load(Part.TEST);
    }
}
