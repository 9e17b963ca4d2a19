package dev.verdant.compress;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.onnx.OnnxGraph;

/**
 * One step of a compression recipe: it checks the model up front, then returns a rewritten copy. The input model is
 * never mutated; the pipeline verifies the result against the original in ONNX Runtime.
 */
public interface CompressionPass {

    /** The step's name as recipes spell it, for example {@code prune} or {@code int8-dynamic}. */
    String name();

    /**
     * Refuses before any work: throws {@link IllegalArgumentException} naming the ops or tensors this pass cannot
     * handle in the model. The default accepts every model.
     */
    default void validate(OnnxGraph graph) {
    }

    /** Rewrites the model; {@code context} carries calibration data, the seed and a place for the step's notes. */
    PassOutput apply(ModelProto model, PassContext context);
}
