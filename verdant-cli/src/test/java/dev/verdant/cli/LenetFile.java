package dev.verdant.cli;

import dev.verdant.onnx.OnnxModels;
import dev.verdant.train.zoo.Zoo;
import java.nio.file.Path;

/** The small real model the command tests run on: the zoo's LeNet-5 for 10 classes, seed 3, as an ONNX file. */
final class LenetFile {

    private LenetFile() {
    }

    /** Writes {@code dir/lenet5.onnx} and returns it. */
    static Path in(Path dir) {
        Path model = dir.resolve("lenet5.onnx");
        OnnxModels.write(Zoo.imageClassifier("lenet5", 10, 1.0, 3).build(), model);
        return model;
    }
}
