package dev.verdant.train.op;

import ai.djl.ndarray.NDArray;
import dev.verdant.onnx.DataType;

/** A tensor held by the PyTorch engine: real tensor math, tracked by autograd. */
public record DeviceTensor(NDArray array) implements Value {

    @Override
    public long[] shape() {
        return array.getShape().getShape();
    }

    @Override
    public DataType type() {
        return ElementTypes.onnxType(array.getDataType());
    }
}
