package dev.verdant.compress.fuse;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.compress.CompressionPass;
import dev.verdant.compress.GraphEdit;
import dev.verdant.compress.PassContext;
import dev.verdant.compress.PassOutput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code fuse} recipe step: rewrites a BERT-style encoder into ONNX Runtime's fused transformer ops
 * (LayerNormalization, EmbedLayerNormalization, SkipLayerNormalization, Gelu/BiasGelu, Attention). The fusions run
 * in dependency order: layer norms first, so the embedding and residual patterns can be found on them. A model with
 * none of these patterns passes through unchanged.
 */
public final class TransformerFusionPass implements CompressionPass {

    private final List<Fusion> fusions;

    /** All fusions, embedding included. */
    public TransformerFusionPass() {
        this(true);
    }

    /**
     * @param fuseEmbedding whether to fuse the embedding block; a quantizer that stores the embedding tables in
     *                      int8 needs their Gathers left in place (EmbedLayerNormalization reads float tables)
     */
    public TransformerFusionPass(boolean fuseEmbedding) {
        List<Fusion> steps = new ArrayList<>();
        // below opset 17 ONNX Runtime still runs LayerNormalization: it registers the op for the default domain
        // from version 1 as one of its own, so the model's opset need not change
        steps.add(new Fusion("LayerNormalization", "ReduceMean", LayerNormFusion::fuseAt));
        if (fuseEmbedding) {
            steps.add(new Fusion("EmbedLayerNormalization", "LayerNormalization", EmbedLayerNormFusion::fuseAt));
        }
        steps.add(new Fusion("SkipLayerNormalization", "LayerNormalization", SkipLayerNormFusion::fuseAt));
        steps.add(new Fusion("Gelu/BiasGelu", "Erf", GeluFusion::fuseAt));
        steps.add(new Fusion("Attention", "Softmax", AttentionFusion::fuseAt));
        this.fusions = List.copyOf(steps);
    }

    @Override
    public String name() {
        return "fuse";
    }

    @Override
    public PassOutput apply(ModelProto model, PassContext context) {
        GraphEdit graph = new GraphEdit(model);
        Map<String, Object> fused = new LinkedHashMap<>();
        for (Fusion fusion : fusions) {
            fused.put(fusion.name(), fusion.fuse(graph));
        }
        int before = model.getGraph().getNodeCount();
        ModelProto result = graph.build();
        return new PassOutput(result, Map.of("fused", fused, "nodesBefore", before,
                "nodesAfter", result.getGraph().getNodeCount()));
    }
}
