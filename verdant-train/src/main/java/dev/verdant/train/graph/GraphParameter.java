package dev.verdant.train.graph;

import ai.djl.ndarray.NDArray;

/**
 * One initializer of a compiled graph as a PyTorch tensor. A trainable parameter requires a gradient; an
 * optimizer updates {@link #array()} in place (outside the gradient collector) and
 * {@link CompiledGraph#exportModel} writes the values back into the model.
 *
 * @param name      the initializer's name in the ONNX graph
 * @param array     the values, owned by the compiled graph
 * @param trainable whether autograd computes a gradient for it
 */
public record GraphParameter(String name, NDArray array, boolean trainable) {
}
