package dev.verdant.compress.fuse;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.verdant.compress.GraphEdit;
import dev.verdant.onnx.Attributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A residual {@code Add} feeding a {@code LayerNormalization} becomes one {@code com.microsoft.SkipLayerNormalization},
 * which also absorbs the bias {@code Add} of the dense layer before the residual. Only residuals of two activations of
 * the same shape qualify: both operands must come from a dense layer, a normalization or attention, never from a
 * constant or an embedding lookup that may broadcast.
 */
final class SkipLayerNormFusion {

    /** Producers whose output has the full (batch, sequence, hidden) shape of the residual stream. */
    private static final Set<String> FULL_SHAPE_PRODUCERS = Set.of("MatMul", "Add", "LayerNormalization",
            "SkipLayerNormalization", "EmbedLayerNormalization", "Attention", "MultiHeadAttention", "BiasGelu", "Gelu");

    private SkipLayerNormFusion() {
    }

    /** Fuses the pattern at one anchor node, as {@link Fusion.Match} says. */
    static boolean fuseAt(GraphEdit graph, NodeProto norm) {
        if (Attributes.getInt(norm, "axis", -1) != -1 || norm.getInputCount() < 3 || norm.getOutputCount() > 1) {
            return false;
        }
        Optional<NodeProto> residual = graph.producer(norm, 0, "Add")
                .filter(a -> graph.soleConsumer(a.getOutput(0)).isPresent());
        if (residual.isEmpty() || graph.constantInputIndex(residual.get()) >= 0
                || residual.get().getInput(0).equals(residual.get().getInput(1))) {
            return false;
        }
        String left = residual.get().getInput(0);
        String right = residual.get().getInput(1);
        if (!isFullShapeActivation(graph, left) || !isFullShapeActivation(graph, right)) {
            return false;
        }
        List<NodeProto> matched = new ArrayList<>(List.of(residual.get(), norm));
        // put the dense branch first so its bias Add can be absorbed
        String input = left;
        String skip = right;
        Optional<BiasAdd> bias = BiasAdd.of(graph, left);
        if (bias.isEmpty()) {
            bias = BiasAdd.of(graph, right);
            input = right;
            skip = left;
        }
        List<String> inputs = new ArrayList<>(List.of(input, skip, norm.getInput(1), norm.getInput(2)));
        if (bias.isPresent()) {
            matched.add(bias.get().add());
            inputs.set(0, bias.get().input());
            inputs.add(bias.get().bias());
        }
        graph.removeNodes(matched);
        graph.addNode(graph.node("SkipLayerNormalization", GraphEdit.MICROSOFT_DOMAIN, inputs,
                List.of(norm.getOutput(0)),
                Attributes.ofFloat("epsilon", Attributes.getFloat(norm, "epsilon", 1e-5f))));
        graph.requireOpset(GraphEdit.MICROSOFT_DOMAIN, 1);
        return true;
    }

    private static boolean isFullShapeActivation(GraphEdit graph, String tensor) {
        return graph.constant(tensor).isEmpty()
                && graph.producer(tensor).map(p -> FULL_SHAPE_PRODUCERS.contains(p.getOpType())
                        && (!p.getOpType().equals("Add") || BiasAdd.of(graph, tensor).isPresent()))
                        .orElse(false);
    }
}
