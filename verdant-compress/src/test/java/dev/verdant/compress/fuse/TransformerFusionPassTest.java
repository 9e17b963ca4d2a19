package dev.verdant.compress.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.verdant.compress.Fidelity;
import dev.verdant.compress.MiniLmFixture;
import dev.verdant.compress.PassContext;
import dev.verdant.compress.PassOutput;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TransformerFusionPassTest {

    private static Map<String, Integer> opCounts(ModelProto model) {
        Map<String, Integer> counts = new TreeMap<>();
        for (NodeProto node : model.getGraph().getNodeList()) {
            counts.merge(node.getOpType(), 1, Integer::sum);
        }
        return counts;
    }

    /** The real MiniLM: every block fused, and ONNX Runtime gives the same outputs on real sentences. */
    @Test
    void fusesAllOfMiniLmAndKeepsItsOutputs() {
        ModelProto model = MiniLmFixture.model();
        PassOutput fused = new TransformerFusionPass().apply(model, PassContext.withoutData(0));

        Map<String, Integer> before = opCounts(model);
        Map<String, Integer> after = opCounts(fused.model());
        assertThat(model.getGraph().getNodeCount()).isEqualTo(692);
        assertThat(before).containsEntry("Softmax", 6).containsEntry("Erf", 6).containsEntry("MatMul", 48);
        // 6 layers: 6 Attention, 12 SkipLayerNormalization (2 per layer), 6 BiasGelu, 1 EmbedLayerNormalization
        assertThat(after).containsEntry("Attention", 6).containsEntry("SkipLayerNormalization", 12)
                .containsEntry("BiasGelu", 6).containsEntry("EmbedLayerNormalization", 1)
                .doesNotContainKeys("Softmax", "Erf", "ReduceMean", "Sqrt", "Pow");
        // the attention output and both FFN projections stay MatMuls; Q/K/V, scores and context are inside Attention
        assertThat(after.get("MatMul")).isEqualTo(18);
        assertThat(fused.model().getGraph().getNodeCount()).isLessThan(60);
        assertThat(fused.facts()).containsEntry("nodesBefore", 692);

        Fidelity fidelity = MiniLmFixture.compare(model, fused.model(), MiniLmFixture.batches(model, 0, 16));
        assertThat(fidelity.maxAbsDiff()).isLessThan(1e-4);
        assertThat(fidelity.minCosine()).isGreaterThan(0.99999);
    }

    /** Without the embedding fusion the tables stay behind their Gathers, for quantizers that store them in int8. */
    @Test
    void canLeaveTheEmbeddingUnfused() {
        ModelProto model = MiniLmFixture.model();
        ModelProto fused = new TransformerFusionPass(false).apply(model, PassContext.withoutData(0)).model();
        Map<String, Integer> after = opCounts(fused);
        assertThat(after).doesNotContainKey("EmbedLayerNormalization").containsEntry("Attention", 6)
                .containsEntry("LayerNormalization", 1);
        assertThat(fused.getGraph().getNodeList()).filteredOn(n -> n.getOpType().equals("Gather"))
                .extracting(NodeProto::getName).contains("/embeddings/word_embeddings/Gather",
                        "/embeddings/token_type_embeddings/Gather", "/embeddings/position_embeddings/Gather");
    }

    /** A graph with none of the patterns comes back unchanged. */
    @Test
    void leavesAModelWithoutTransformerPatternsAlone() {
        dev.verdant.onnx.build.OnnxModelBuilder b = dev.verdant.onnx.build.OnnxModelBuilder.create("plain");
        String x = b.input("x", dev.verdant.onnx.DataType.FLOAT, dev.verdant.onnx.build.Dim.named("N"),
                dev.verdant.onnx.build.Dim.of(4));
        String w = b.initializer("w", new long[] {4, 2}, new float[] {1, 2, 3, 4, 5, 6, 7, 8});
        String y = b.node("MatMul").inputs(x, w).output("y");
        b.output(y, dev.verdant.onnx.DataType.FLOAT, dev.verdant.onnx.build.Dim.named("N"),
                dev.verdant.onnx.build.Dim.of(2));
        ModelProto model = b.build();
        PassOutput out = new TransformerFusionPass().apply(model, PassContext.withoutData(0));
        assertThat(out.model().getGraph().getNodeList()).isEqualTo(model.getGraph().getNodeList());
        assertThat(out.facts().get("fused")).isEqualTo(Map.of("LayerNormalization", 0, "EmbedLayerNormalization", 0,
                "SkipLayerNormalization", 0, "Gelu/BiasGelu", 0, "Attention", 0));
    }
}
