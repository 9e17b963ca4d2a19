package dev.verdant.compress.fuse;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.verdant.compress.GraphEdit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The exact (erf) GELU as PyTorch exports it, {@code 0.5 * x * (1 + erf(x / sqrt(2)))}, becomes
 * {@code com.microsoft.Gelu}, or {@code com.microsoft.BiasGelu} when {@code x} is a dense layer's output plus bias.
 */
final class GeluFusion {

    private static final float SQRT_2 = (float) Math.sqrt(2);
    private static final float TOLERANCE = 1e-4f;

    private GeluFusion() {
    }

    /** Fuses the pattern at one anchor node, as {@link Fusion.Match} says. */
    static boolean fuseAt(GraphEdit graph, NodeProto erf) {
        // x / sqrt(2), or x * (1 / sqrt(2))
        Optional<NodeProto> scaled = graph.producer(erf.getInput(0))
                .filter(n -> (n.getOpType().equals("Div") && isConstant(graph, n.getInput(1), SQRT_2))
                        || (n.getOpType().equals("Mul") && isConstant(graph, n.getInput(1), 1 / SQRT_2)));
        if (scaled.isEmpty() || graph.soleConsumer(scaled.get().getOutput(0)).isEmpty()) {
            return false;
        }
        String x = scaled.get().getInput(0);
        Optional<NodeProto> plusOne = graph.soleConsumer(erf.getOutput(0)).filter(n -> n.getOpType().equals("Add"))
                .filter(n -> LayerNormFusion.otherConstant(graph, n, erf.getOutput(0))
                        .map(c -> isConstant(graph, c, 1f)).orElse(false));
        if (plusOne.isEmpty()) {
            return false;
        }
        Optional<NodeProto> first = graph.soleConsumer(plusOne.get().getOutput(0))
                .filter(n -> n.getOpType().equals("Mul"));
        if (first.isEmpty()) {
            return false;
        }
        String other = first.get().getInput(0).equals(plusOne.get().getOutput(0)) ? first.get().getInput(1)
                : first.get().getInput(0);
        List<NodeProto> matched = new ArrayList<>(List.of(scaled.get(), erf, plusOne.get(), first.get()));
        NodeProto last;
        if (other.equals(x)) {
            // (x * (1 + erf)) * 0.5
            Optional<NodeProto> half = graph.soleConsumer(first.get().getOutput(0))
                    .filter(n -> n.getOpType().equals("Mul") && LayerNormFusion.otherConstant(graph, n,
                            first.get().getOutput(0)).map(c -> isConstant(graph, c, 0.5f)).orElse(false));
            if (half.isEmpty()) {
                return false;
            }
            last = half.get();
        } else {
            // (x * 0.5) * (1 + erf)
            Optional<NodeProto> half = graph.producer(other).filter(n -> n.getOpType().equals("Mul")
                    && graph.soleConsumer(other).isPresent()
                    && LayerNormFusion.otherConstant(graph, n, x).map(c -> isConstant(graph, c, 0.5f)).orElse(false));
            if (half.isEmpty()) {
                return false;
            }
            matched.add(half.get());
            last = first.get();
        }
        if (!last.equals(first.get())) {
            matched.add(last);
        }
        // every reader of x must be inside the pattern for a bias Add to be absorbed
        long outsideReaders = graph.consumers(x).stream().filter(n -> !matched.contains(n)).count();
        Optional<BiasAdd> bias = outsideReaders == 0 && !graph.isGraphOutput(x) ? BiasAdd.of(graph, x)
                : Optional.empty();
        graph.removeNodes(matched);
        if (bias.isPresent()) {
            graph.removeNodes(List.of(bias.get().add()));
            graph.addNode(graph.node("BiasGelu", GraphEdit.MICROSOFT_DOMAIN,
                    List.of(bias.get().input(), bias.get().bias()), List.of(last.getOutput(0))));
        } else {
            graph.addNode(graph.node("Gelu", GraphEdit.MICROSOFT_DOMAIN, List.of(x), List.of(last.getOutput(0))));
        }
        graph.requireOpset(GraphEdit.MICROSOFT_DOMAIN, 1);
        return true;
    }

    private static boolean isConstant(GraphEdit graph, String tensor, float expected) {
        return graph.constantScalar(tensor).map(v -> Math.abs(v - expected) <= TOLERANCE * Math.abs(expected))
                .orElse(false);
    }
}
