package dev.verdant.runtime;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Concrete shapes of a graph's tensors for given input shapes, and how they were found.
 *
 * @param shapes    dims by tensor name: inputs, initializers and every node output whose shape was found
 * @param probed    the node outputs whose shapes came from the ONNX Runtime probe rather than the symbolic rules
 * @param declared  the node outputs whose shapes came from the model's own value_info (a graph whose inputs are all
 *                  fixed, for ops the rules do not know)
 * @param probeRuns how many times the model ran in ONNX Runtime to find them (0 when no probe was needed)
 * @param notes     one line each for what limited the inference: a probe over its memory budget, shapes scaled
 *                  from batch 1 and 2
 */
public record InferredShapes(Map<String, long[]> shapes, Set<String> probed, Set<String> declared, int probeRuns,
        List<String> notes) {

    public InferredShapes {
        shapes = Map.copyOf(shapes);
        probed = Set.copyOf(probed);
        declared = Set.copyOf(declared);
        notes = List.copyOf(notes);
    }

    /** The dims of one tensor, or null when not found. */
    public long[] shape(String tensor) {
        long[] dims = shapes.get(tensor);
        return dims == null ? null : dims.clone();
    }
}
