package dev.verdant.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.ArrayList;
import java.util.List;

/**
 * The graphs nested in a graph's nodes: the branches of {@code If}, the bodies of {@code Loop} and {@code Scan}, and
 * what they nest in turn. Their nodes, initializers and constants are part of the model, though the outer graph's
 * node list does not show them (Silero VAD keeps every weight inside its {@code If} branches).
 */
public final class Subgraphs {

    private Subgraphs() {
    }

    /** Every graph nested in {@code graph}'s nodes, at any depth, outermost first; empty when there is none. */
    public static List<GraphProto> nestedIn(GraphProto graph) {
        List<GraphProto> nested = new ArrayList<>();
        collect(graph, nested);
        return nested;
    }

    /** How many nodes the graphs nested in {@code graph}'s nodes hold, at any depth; 0 for a graph without any. */
    public static int nestedNodeCount(GraphProto graph) {
        return nestedIn(graph).stream().mapToInt(GraphProto::getNodeCount).sum();
    }

    private static void collect(GraphProto graph, List<GraphProto> into) {
        for (NodeProto node : graph.getNodeList()) {
            for (AttributeProto attribute : node.getAttributeList()) {
                List<GraphProto> inner = new ArrayList<>();
                if (attribute.hasG()) {
                    inner.add(attribute.getG());
                }
                inner.addAll(attribute.getGraphsList());
                for (GraphProto subgraph : inner) {
                    into.add(subgraph);
                    collect(subgraph, into);
                }
            }
        }
    }
}
