package dev.verdant.train.op;

/**
 * A tensor while a graph runs: either a small integer tensor known on the JVM ({@link HostTensor}, the result of
 * shape arithmetic) or an {@link ai.djl.ndarray.NDArray} that PyTorch computes ({@link DeviceTensor}).
 */
public sealed interface Value permits HostTensor, DeviceTensor {

    /** The dims of the tensor. */
    long[] shape();

    /** The ONNX element type. */
    dev.verdant.onnx.DataType type();
}
