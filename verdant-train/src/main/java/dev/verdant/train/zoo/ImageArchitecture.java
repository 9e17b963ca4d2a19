package dev.verdant.train.zoo;

import dev.verdant.onnx.DataType;
import java.util.List;

/** A zoo architecture that classifies images: float pixels, one 28x28 grey image per example unless it says otherwise. */
public sealed interface ImageArchitecture extends Architecture permits Mlp, LeNet5, CaffeLeNet, MobileNetV2 {

    @Override
    default List<Long> exampleShape() {
        return GREY_28X28;
    }

    @Override
    default DataType inputType() {
        return DataType.FLOAT;
    }
}
