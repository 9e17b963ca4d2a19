package dev.verdant.compress.fuse;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.verdant.compress.GraphEdit;

/**
 * One pattern rewrite of a transformer graph: it finds every occurrence of a decomposed subgraph by node types,
 * producers and constant values, replaces each with one fused node, and leaves anything that does not match exactly
 * untouched.
 */
public sealed interface Fusion permits LayerNormFusion, EmbedLayerNormFusion, SkipLayerNormFusion, GeluFusion,
        AttentionFusion {

    /** The fused op this rewrite produces, for the report. */
    String name();

    /** Rewrites every match in place and returns how many it fused. */
    int fuse(GraphEdit graph);

    /**
     * Tries {@code fuseAt} on every node of one op type (in the default domain) still in the graph, as it stood
     * before the first rewrite, and counts the matches.
     */
    static int fuseEach(GraphEdit graph, String opType, java.util.function.BiPredicate<GraphEdit, NodeProto> fuseAt) {
        int fused = 0;
        for (NodeProto node : graph.nodesOfType(opType)) {
            if (graph.contains(node) && node.getDomain().isEmpty() && fuseAt.test(graph, node)) {
                fused++;
            }
        }
        return fused;
    }
}
