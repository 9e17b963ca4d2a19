package dev.verdant.compress.fuse;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.verdant.compress.GraphEdit;

/**
 * One pattern rewrite of a transformer graph: it finds every occurrence of a decomposed subgraph by node types,
 * producers and constant values, replaces each with one fused node, and leaves anything that does not match exactly
 * untouched. Every rewrite is anchored on one op type; {@link TransformerFusionPass} lists them in the order they run.
 *
 * @param name         the fused op this rewrite produces, for the report
 * @param anchorOpType the op (in the default domain) every match is found from
 * @param match        tries the rewrite at one anchor node
 */
record Fusion(String name, String anchorOpType, Match match) {

    /** The rewrite at one anchor node: fuses the pattern around it in place, or leaves the graph as it was. */
    @FunctionalInterface
    interface Match {
        /** Whether the pattern matched at {@code anchor} (and was fused). */
        boolean fuseAt(GraphEdit graph, NodeProto anchor);
    }

    /**
     * Tries the match on every anchor node still in the graph, as the graph stood before the first rewrite, and
     * counts the matches.
     */
    int fuse(GraphEdit graph) {
        int fused = 0;
        for (NodeProto node : graph.nodesOfType(anchorOpType)) {
            if (graph.contains(node) && node.getDomain().isEmpty() && match.fuseAt(graph, node)) {
                fused++;
            }
        }
        return fused;
    }
}
