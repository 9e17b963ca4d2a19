package dev.verdant.runtime.inspect;

import java.util.List;

/**
 * Where inspect's shapes of the node outputs came from: ONNX's shape rules worked through the graph without running
 * it, the model's own value_info, or a run of the model in ONNX Runtime (the probe, for ops the rules do not know).
 *
 * @param byRules       node outputs whose shapes the rules found
 * @param fromValueInfo node outputs whose shapes the model declares (a graph with fixed inputs, ops without a rule)
 * @param probed        names of the node outputs whose shapes came from the probe, sorted
 * @param probeRuns     times the model ran in ONNX Runtime for them (0 when nothing was probed)
 * @param unknown       node outputs whose shapes were not found
 */
public record ShapeSources(int byRules, int fromValueInfo, List<String> probed, int probeRuns, int unknown) {

    public ShapeSources {
        probed = List.copyOf(probed);
    }
}
