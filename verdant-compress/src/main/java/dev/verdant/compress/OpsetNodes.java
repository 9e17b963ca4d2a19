package dev.verdant.compress;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.Tensors;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the default-domain nodes whose signature changed between opsets in the form the edited graph's opset has,
 * so a pass can emit them into an opset-11 export as well as into the newest without raising the model's opset
 * (which would change the meaning of the nodes it already has):
 * <ul>
 *   <li>{@code Unsqueeze}, {@code Squeeze}, {@code ReduceSum}: axes an attribute before opset 13, an input from 13;</li>
 *   <li>{@code Split} into equal parts: the number of outputs is implied before opset 18, an attribute from 18;</li>
 *   <li>{@code DequantizeLinear}: one scale per tensor before opset 13, along an axis from 13.</li>
 * </ul>
 * The axes initializers it adds are named after the node's output.
 */
public final class OpsetNodes {

    /** The opset from which axes are an input and DequantizeLinear takes an axis. */
    public static final long AXES_AS_INPUT = 13;
    /** The opset from which Split needs {@code num_outputs} (or split sizes) to split into equal parts. */
    private static final long SPLIT_NUM_OUTPUTS = 18;

    private final GraphEdit graph;

    /**
     * @param graph the graph the nodes are for: its default-domain opset decides their form, and it receives the
     *              axes initializers
     */
    public OpsetNodes(GraphEdit graph) {
        this.graph = graph;
    }

    /** {@code Unsqueeze(input)} inserting size-1 dims at {@code axes}. */
    public NodeProto unsqueeze(String input, String output, long... axes) {
        return withAxes("Unsqueeze", input, output, axes);
    }

    /** {@code Squeeze(input)} removing the size-1 dims at {@code axes}. */
    public NodeProto squeeze(String input, String output, long... axes) {
        return withAxes("Squeeze", input, output, axes);
    }

    /** {@code ReduceSum(input)} over {@code axes}, keeping the reduced dims or not. */
    public NodeProto reduceSum(String input, String output, boolean keepDims, long... axes) {
        return withAxes("ReduceSum", input, output, axes, Attributes.ofInt("keepdims", keepDims ? 1 : 0));
    }

    /** {@code Split(input)} along {@code axis} into as many equal parts as there are outputs. */
    public NodeProto splitEqually(String input, List<String> outputs, long axis) {
        List<AttributeProto> attributes = new ArrayList<>(List.of(Attributes.ofInt("axis", axis)));
        if (graph.opset() >= SPLIT_NUM_OUTPUTS) {
            attributes.add(Attributes.ofInt("num_outputs", outputs.size()));
        }
        return graph.node("Split", OnnxGraph.DEFAULT_DOMAIN, List.of(input), outputs,
                attributes.toArray(AttributeProto[]::new));
    }

    /** Whether {@code DequantizeLinear} can take one scale per slice along an axis (else one per tensor). */
    public boolean dequantizesPerAxis() {
        return graph.opset() >= AXES_AS_INPUT;
    }

    /**
     * {@code DequantizeLinear(codes, scales, zeroPoints)}: per tensor when {@code scales} is a scalar constant, else
     * along {@code axis}, which needs {@link #dequantizesPerAxis()}.
     *
     * @param zeroPoints the zero points, or "" for none (zero)
     * @throws IllegalArgumentException if per-axis scales are asked for at an opset that has none
     */
    public NodeProto dequantize(String codes, String scales, String zeroPoints, String output, long axis) {
        List<String> inputs = zeroPoints.isEmpty() ? List.of(codes, scales) : List.of(codes, scales, zeroPoints);
        boolean scalarScale = graph.constant(scales).map(s -> s.getDimsCount() == 0).orElse(false);
        if (scalarScale) {
            return graph.node("DequantizeLinear", OnnxGraph.DEFAULT_DOMAIN, inputs, List.of(output));
        }
        if (!dequantizesPerAxis()) {
            throw new IllegalArgumentException("DequantizeLinear with one scale per slice ('" + scales + "') needs "
                    + "opset " + AXES_AS_INPUT + " or newer, the model has " + graph.opset());
        }
        return graph.node("DequantizeLinear", OnnxGraph.DEFAULT_DOMAIN, inputs, List.of(output),
                Attributes.ofInt("axis", axis));
    }

    private NodeProto withAxes(String op, String input, String output, long[] axes, AttributeProto... others) {
        List<AttributeProto> attributes = new ArrayList<>(List.of(others));
        List<String> inputs = new ArrayList<>(List.of(input));
        if (graph.opset() >= AXES_AS_INPUT) {
            String axesName = graph.uniqueName(output + "_axes");
            graph.putInitializer(Tensors.ofLongs(axesName, new long[] {axes.length}, axes));
            inputs.add(axesName);
        } else {
            attributes.add(Attributes.ofInts("axes", axes));
        }
        return graph.node(op, OnnxGraph.DEFAULT_DOMAIN, inputs, List.of(output),
                attributes.toArray(AttributeProto[]::new));
    }
}
