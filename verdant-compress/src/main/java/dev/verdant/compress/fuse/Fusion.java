package dev.verdant.compress.fuse;

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
}
