package dev.verdant.train.transfer;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.OnnxGraph;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Joins a cut backbone and a head into one ONNX model: the backbone's nodes, then a {@code Flatten} of the feature
 * tensor when it has more than two axes, then the head's nodes reading it. Head tensors whose names the backbone
 * already uses are prefixed {@code head/}; the head's weights keep their names ({@code head.fc.weight}) otherwise,
 * so they read the same in the file as in the training logs.
 */
public final class HeadSplice {

    /** The flattened features {@code [N, D]} the head reads. */
    public static final String FLAT_FEATURES = "head/features";

    private HeadSplice() {
    }

    /**
     * One model from {@code backbone}'s inputs to {@code head}'s logits.
     *
     * @param flatten whether the feature tensor has more than two axes and must be flattened for the head
     */
    public static ModelProto attach(Backbone backbone, ModelProto head, boolean flatten) {
        OnnxGraph base = OnnxGraph.of(backbone.model());
        OnnxGraph top = OnnxGraph.of(head);
        Set<String> taken = base.tensorNames();
        Map<String, String> rename = new HashMap<>();
        String headInput = top.inputs().get(0).getName();
        String features = backbone.featureTensor();
        GraphProto.Builder graph = backbone.model().getGraph().toBuilder().clearOutput();
        if (flatten) {
            graph.addNode(NodeProto.newBuilder().setOpType("Flatten").setName(FLAT_FEATURES).addInput(features)
                    .addOutput(FLAT_FEATURES).addAttribute(Attributes.ofInt("axis", 1)));
            features = FLAT_FEATURES;
        }
        rename.put(headInput, features);
        for (String name : top.tensorNames()) {
            if (!name.equals(headInput)) {
                rename.put(name, taken.contains(name) ? "head/" + name : name);
            }
        }
        for (TensorProto initializer : head.getGraph().getInitializerList()) {
            graph.addInitializer(initializer.toBuilder().setName(rename.get(initializer.getName())));
        }
        for (NodeProto node : head.getGraph().getNodeList()) {
            NodeProto.Builder copy = node.toBuilder().clearInput().clearOutput()
                    .setName(node.getName().isEmpty() ? "" : "head/" + node.getName());
            node.getInputList().forEach(input -> copy.addInput(input.isEmpty() ? "" : rename.get(input)));
            node.getOutputList().forEach(output -> copy.addOutput(output.isEmpty() ? "" : rename.get(output)));
            graph.addNode(copy);
        }
        for (ValueInfoProto output : head.getGraph().getOutputList()) {
            graph.addOutput(output.toBuilder().setName(rename.get(output.getName())));
        }
        return backbone.model().toBuilder().setGraph(graph).build();
    }
}
