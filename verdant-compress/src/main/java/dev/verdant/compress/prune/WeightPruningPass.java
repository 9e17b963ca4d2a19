package dev.verdant.compress.prune;

import dev.verdant.compress.CompressionPass;
import dev.verdant.onnx.OnnxGraph;

/**
 * A pass that zeroes individual weights of the model's float weight tensors ({@link WeightTensors}): it refuses up
 * front a model that has none it may prune.
 */
public interface WeightPruningPass extends CompressionPass {

    @Override
    default void validate(OnnxGraph graph) {
        WeightTensors.requireAny(graph, name());
    }
}
