package dev.verdant.compress;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.verdant.onnx.OnnxGraph;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One step of a compression recipe: it checks the model up front, then returns a rewritten copy. The input model is
 * never mutated; the pipeline verifies the result against the original in ONNX Runtime. A pass declares what it
 * needs from the run ({@link #needs}) and what it offers a sensitivity analysis ({@link #perNode}), so the pipeline
 * never asks which pass it holds.
 */
public interface CompressionPass {

    /** What a pass can need from the run besides the model. */
    enum Need {
        /** Labelled examples to train on (the run's {@code --data}): the retraining steps. */
        LABELLED_DATA,
        /** Representative inputs to calibrate activation ranges on. */
        CALIBRATION_DATA
    }

    /** The step's name as recipes spell it, for example {@code prune} or {@code int8-dynamic}. */
    String name();

    /**
     * What this pass needs to run on {@code model}, so that the run refuses up front, naming the step, when it was
     * given none. The default needs nothing.
     */
    default Set<Need> needs(ModelProto model) {
        return Set.of();
    }

    /**
     * Refuses before any work: throws {@link IllegalArgumentException} naming the ops or tensors this pass cannot
     * handle in the model. The default accepts every model.
     */
    default void validate(OnnxGraph graph) {
    }

    /** Rewrites the model; {@code context} carries calibration data, the seed and a place for the step's notes. */
    PassOutput apply(ModelProto model, PassContext context);

    /** This pass as one that quantizes node by node, if it is one; the default is not. */
    default Optional<PerNode> perNode() {
        return Optional.empty();
    }

    /**
     * A pass that quantizes node by node: it names the nodes it would change and can be rebuilt to leave any of them
     * in float, which is what the per-layer sensitivity analysis needs.
     */
    interface PerNode {

        /** The nodes this pass quantizes, as name and op type (after any fusion it runs first). */
        List<Map.Entry<String, String>> quantizableNodes(ModelProto model);

        /** The same pass, configured alike, except that the nodes {@code keepFloat} accepts stay in float. */
        CompressionPass keepingFloat(Predicate<NodeProto> keepFloat);
    }
}
