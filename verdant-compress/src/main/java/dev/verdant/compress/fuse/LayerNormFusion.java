package dev.verdant.compress.fuse;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.verdant.compress.GraphEdit;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.OnnxGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decomposed layer normalization as PyTorch exports it, {@code y = (x - mean(x)) / sqrt(mean((x - mean(x))^2) + eps)
 * * gamma + beta} over the last axis (ReduceMean, Sub, Pow 2, ReduceMean, Add eps, Sqrt, Div, Mul, Add), becomes
 * one {@code LayerNormalization} node.
 */
final class LayerNormFusion {

    private LayerNormFusion() {
    }

    /** Fuses the pattern at one anchor node, as {@link Fusion.Match} says. */
    static boolean fuseAt(GraphEdit graph, NodeProto mean) {
        if (!isLastAxisMean(graph, mean)) {
            return false;
        }
        String x = mean.getInput(0);
        // the centred input: Sub(x, mean(x)), read by both the variance and the division
        Optional<NodeProto> sub = graph.soleConsumer(mean.getOutput(0))
                .filter(n -> n.getOpType().equals("Sub") && n.getInput(0).equals(x));
        if (sub.isEmpty()) {
            return false;
        }
        List<NodeProto> readers = graph.consumers(sub.get().getOutput(0));
        if (readers.size() != 2 || graph.isGraphOutput(sub.get().getOutput(0))) {
            return false;
        }
        NodeProto square = readers.stream().filter(n -> isSquare(graph, n, sub.get().getOutput(0))).findFirst()
                .orElse(null);
        NodeProto divide = readers.stream().filter(n -> n.getOpType().equals("Div")
                && n.getInput(0).equals(sub.get().getOutput(0))).findFirst().orElse(null);
        if (square == null || divide == null) {
            return false;
        }
        Optional<NodeProto> variance = graph.soleConsumer(square.getOutput(0))
                .filter(n -> n.getOpType().equals("ReduceMean") && isLastAxisMean(graph, n));
        Optional<NodeProto> addEpsilon = variance.flatMap(v -> graph.soleConsumer(v.getOutput(0)))
                .filter(n -> n.getOpType().equals("Add"));
        if (addEpsilon.isEmpty()) {
            return false;
        }
        int epsilonIndex = addEpsilon.get().getInput(0).equals(variance.get().getOutput(0)) ? 1 : 0;
        Optional<Float> epsilon = graph.constantScalar(addEpsilon.get().getInput(epsilonIndex));
        Optional<NodeProto> sqrt = graph.soleConsumer(addEpsilon.get().getOutput(0))
                .filter(n -> n.getOpType().equals("Sqrt"));
        if (epsilon.isEmpty() || epsilon.get() <= 0 || epsilon.get() > 1e-3 || sqrt.isEmpty()
                || !divide.getInput(1).equals(sqrt.get().getOutput(0))) {
            return false;
        }
        Optional<NodeProto> scale = graph.soleConsumer(divide.getOutput(0)).filter(n -> n.getOpType().equals("Mul"));
        Optional<String> gamma = scale.flatMap(m -> otherConstant(graph, m, divide.getOutput(0)));
        Optional<NodeProto> shift = scale.flatMap(m -> graph.soleConsumer(m.getOutput(0)))
                .filter(n -> n.getOpType().equals("Add"));
        Optional<String> beta = shift.flatMap(a -> otherConstant(graph, a, scale.get().getOutput(0)));
        if (gamma.isEmpty() || beta.isEmpty() || !isVector(graph, gamma.get()) || !isVector(graph, beta.get())) {
            return false;
        }
        List<NodeProto> matched = new ArrayList<>(List.of(mean, sub.get(), square, variance.get(), addEpsilon.get(),
                sqrt.get(), divide, scale.get(), shift.get()));
        graph.removeNodes(matched);
        graph.addNode(graph.node("LayerNormalization", OnnxGraph.DEFAULT_DOMAIN,
                List.of(x, gamma.get(), beta.get()), List.of(shift.get().getOutput(0)),
                Attributes.ofInt("axis", -1), Attributes.ofFloat("epsilon", epsilon.get())));
        return true;
    }

    /** ReduceMean over exactly the last axis, keeping dims (axes as attribute, or as input from opset 18). */
    static boolean isLastAxisMean(GraphEdit graph, NodeProto node) {
        if (!node.getOpType().equals("ReduceMean") || Attributes.getInt(node, "keepdims", 1) != 1) {
            return false;
        }
        long[] axes = Attributes.getInts(node, "axes", null);
        if (axes == null && node.getInputCount() > 1) {
            axes = graph.constant(node.getInput(1)).map(dev.verdant.onnx.Tensors::toLongs).orElse(null);
        }
        return axes != null && axes.length == 1 && axes[0] == -1;
    }

    private static boolean isSquare(GraphEdit graph, NodeProto node, String input) {
        if (node.getOpType().equals("Pow") && node.getInput(0).equals(input)) {
            return graph.constantScalar(node.getInput(1)).map(e -> e == 2f).orElse(false);
        }
        return node.getOpType().equals("Mul") && node.getInput(0).equals(input) && node.getInput(1).equals(input);
    }

    /** The input of a binary node other than {@code known}, when that one is a constant. */
    static Optional<String> otherConstant(GraphEdit graph, NodeProto node, String known) {
        if (node.getInputCount() != 2) {
            return Optional.empty();
        }
        String other = node.getInput(0).equals(known) ? node.getInput(1)
                : node.getInput(1).equals(known) ? node.getInput(0) : null;
        return other != null && graph.constant(other).isPresent() ? Optional.of(other) : Optional.empty();
    }

    /** A constant of rank 1. */
    static boolean isVector(GraphEdit graph, String tensor) {
        return graph.constant(tensor).map(t -> t.getDimsCount() == 1).orElse(false);
    }
}
