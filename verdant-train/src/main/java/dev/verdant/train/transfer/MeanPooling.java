package dev.verdant.train.transfer;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.Tensors;

/**
 * Turns a token encoder (all-MiniLM-L6-v2 and other sentence-transformers exports: {@code input_ids},
 * {@code attention_mask} in, {@code [N, T, H]} token states out) into a sentence encoder by appending mean pooling
 * over the tokens, weighted by the attention mask, as sentence-transformers computes its embedding:
 * {@code sum_t(h[n,t,:] * mask[n,t]) / max(sum_t mask[n,t], 1e-9)}. The pooling is written as ONNX nodes, so the
 * embedding, and a head trained on it, run in one graph.
 */
public final class MeanPooling {

    /** The name of the pooled output, {@code [N, H]}. */
    public static final String OUTPUT = "sentence_embedding";
    /** The input the pooling weights tokens by. */
    public static final String MASK_INPUT = "attention_mask";

    private MeanPooling() {
    }


    /** {@code encoder} with {@link #OUTPUT} added as its only output; its first output must be the token states. */
    public static ModelProto append(ModelProto encoder) {
        OnnxGraph graph = OnnxGraph.of(encoder);
        if (graph.inputs().stream().noneMatch(i -> i.getName().equals(MASK_INPUT))) {
            throw new IllegalArgumentException("mean pooling needs an '" + MASK_INPUT + "' input; the model reads "
                    + graph.inputs().stream().map(ValueInfoProto::getName).toList());
        }
        if (graph.tensorNames().contains(OUTPUT)) {
            throw new IllegalArgumentException("the model already has a tensor named '" + OUTPUT + "'");
        }
        String tokens = graph.outputs().get(0).getName();
        long opset = graph.opset();
        String p = "pooling/";
        GraphProto.Builder g = encoder.getGraph().toBuilder().clearOutput();
        g.addNode(constant(p + "eps", Tensors.ofFloats(p + "eps", new long[0], new float[] {1e-9f})));
        g.addNode(node("Cast", p + "mask_float", new String[] {MASK_INPUT}, Attributes.ofInt("to", DataType.FLOAT.code())));
        // [N, T] -> [N, T, 1]: Unsqueeze and ReduceSum take their axes as an attribute before opset 13, as an input after
        g.addNode(withAxes(g, opset, "Unsqueeze", p + "mask_3d", p + "mask_float", 2, null));
        g.addNode(node("Mul", p + "masked", new String[] {tokens, p + "mask_3d"}));
        g.addNode(withAxes(g, opset, "ReduceSum", p + "summed", p + "masked", 1, 0L));         // [N, H]
        g.addNode(withAxes(g, opset, "ReduceSum", p + "count", p + "mask_float", 1, 1L));      // [N, 1]
        g.addNode(node("Max", p + "count_clamped", new String[] {p + "count", p + "eps"}));
        g.addNode(node("Div", OUTPUT, new String[] {p + "summed", p + "count_clamped"}));
        g.addOutput(ValueInfoProto.newBuilder().setName(OUTPUT).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(DataType.FLOAT.code()))));
        return encoder.toBuilder().setGraph(g).build();
    }

    private static NodeProto withAxes(GraphProto.Builder g, long opset, String op, String output, String input,
            long axis, Long keepDims) {
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).setName(output).addInput(input).addOutput(output);
        if (opset >= 13) {
            String axes = output + "_axes";
            g.addNode(constant(axes, Tensors.ofLongs(axes, new long[] {1}, new long[] {axis})));
            node.addInput(axes);
        } else {
            node.addAttribute(Attributes.ofInts("axes", axis));
        }
        if (keepDims != null) {
            node.addAttribute(Attributes.ofInt("keepdims", keepDims));
        }
        return node.build();
    }

    private static NodeProto node(String op, String output, String[] inputs, AttributeProto... attributes) {
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).setName(output).addOutput(output);
        for (String input : inputs) {
            node.addInput(input);
        }
        for (AttributeProto attribute : attributes) {
            node.addAttribute(attribute);
        }
        return node.build();
    }

    /** A Constant node rather than an initializer, so no trainer mistakes it for a weight. */
    private static NodeProto constant(String name, TensorProto value) {
        return node("Constant", name, new String[0], Attributes.ofTensor("value", value));
    }
}
