package dev.verdant.compress.structured;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.verdant.compress.prune.WeightTensors;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Structured pruning that makes a model truly smaller: whole Conv filters (ranked by the L1 norm of their weights,
 * Li et al., 2016) and whole Gemm/MatMul neurons are removed, and the graph is rewritten consistently: the layer's
 * bias, the BatchNormalization after it, depthwise convolutions that follow channel for channel (their
 * {@code group} shrinks with them), pooling, and the input channels or input features of the next layer (through a
 * Flatten, the block of features each channel feeds).
 *
 * <p>A layer's channels are pruned only when every path from them ends in layers that can drop the same inputs.
 * Channels that reach a residual {@code Add}, a {@code Concat}, a graph output or any op not known to act channel by
 * channel are left alone, since pruning one side of an Add would have to prune the other identically.
 */
public final class StructuredPruner {

    /** Ops that act on each channel separately and pass the channel axis (1) through unchanged. */
    private static final Set<String> CHANNELWISE = Set.of("Relu", "Clip", "LeakyRelu", "Sigmoid", "Tanh",
            "HardSigmoid", "HardSwish", "Elu", "Selu", "Softplus", "MaxPool", "AveragePool", "GlobalAveragePool",
            "GlobalMaxPool", "Dropout", "Identity");

    private final double fraction;

    /** @param fraction the fraction of each prunable layer's channels to remove, in (0, 1) */
    public StructuredPruner(double fraction) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("structured pruning removes a fraction of channels in (0, 1), got "
                    + fraction);
        }
        this.fraction = fraction;
    }

    /**
     * What pruning one layer changes.
     *
     * @param layer    the node whose output channels go
     * @param channels its output channels before
     * @param kept     the channels kept, ascending
     * @param edits    every tensor edit: initializer name to the axis it loses the channels on
     * @param groups   depthwise Conv nodes whose {@code group} becomes the kept count
     * @param blocks   for an edit through a Flatten, the features per channel (1 otherwise), by initializer name
     */
    record ChannelGroup(String layer, int channels, int[] kept, Map<String, Integer> edits, List<String> groups,
            Map<String, Integer> blocks) {
    }

    /**
     * The result: the rewritten model and what was removed.
     *
     * @param model  the smaller model (value_info dropped, since shapes changed; ONNX Runtime infers them)
     * @param layers per pruned layer: name, channels before and after
     * @param skipped layers left alone, with why
     */
    public record Result(ModelProto model, List<Map<String, Object>> layers, List<Map<String, Object>> skipped) {
    }

    /** Prunes every layer whose channels can go consistently. */
    public Result prune(ModelProto model) {
        OnnxGraph graph = OnnxGraph.of(model);
        Map<String, TensorProto> tensors = new LinkedHashMap<>(graph.initializers());
        Map<String, Long> groupOf = new HashMap<>();
        List<ChannelGroup> groups = new ArrayList<>();
        List<Map<String, Object>> skipped = new ArrayList<>();
        for (NodeProto node : graph.topologicalOrder()) {
            if (!isProducer(graph, node)) {
                continue;
            }
            Optional<String> problem = Optional.empty();
            ChannelGroup group = null;
            try {
                group = group(graph, node);
            } catch (NotPrunable e) {
                problem = Optional.of(e.getMessage());
            }
            if (group == null) {
                skipped.add(Map.of("layer", node.getName(), "reason", problem.orElse("?")));
            } else {
                groups.add(group);
            }
        }
        List<Map<String, Object>> layers = new ArrayList<>();
        for (ChannelGroup group : groups) {
            for (Map.Entry<String, Integer> edit : group.edits().entrySet()) {
                TensorProto tensor = tensors.get(edit.getKey());
                tensors.put(edit.getKey(), select(tensor, edit.getValue(), group.kept(), group.channels(),
                        group.blocks().getOrDefault(edit.getKey(), 1)));
            }
            group.groups().forEach(name -> groupOf.put(name, (long) group.kept().length));
            Map<String, Object> layer = new LinkedHashMap<>();
            layer.put("layer", group.layer());
            layer.put("channels", group.channels());
            layer.put("kept", group.kept().length);
            layers.add(layer);
        }
        GraphProto.Builder rewritten = model.getGraph().toBuilder().clearInitializer().clearValueInfo().clearNode();
        tensors.values().forEach(rewritten::addInitializer);
        for (NodeProto node : model.getGraph().getNodeList()) {
            Long group = groupOf.get(node.getName());
            if (group == null) {
                rewritten.addNode(node);
                continue;
            }
            NodeProto.Builder changed = node.toBuilder().clearAttribute();
            for (AttributeProto attribute : node.getAttributeList()) {
                changed.addAttribute(attribute.getName().equals("group") ? Attributes.ofInt("group", group) : attribute);
            }
            rewritten.addNode(changed);
        }
        return new Result(model.toBuilder().setGraph(rewritten).build(), layers, skipped);
    }

    /** Conv with group 1, or Gemm/MatMul with a 2-D initializer weight and a bias (or none) of its own. */
    private static boolean isProducer(OnnxGraph graph, NodeProto node) {
        if (!node.getDomain().isEmpty() || node.getInputCount() < 2 || graph.initializer(node.getInput(1)).isEmpty()) {
            return false;
        }
        return switch (node.getOpType()) {
            case "Conv" -> Attributes.getInt(node, "group", 1) == 1;
            case "Gemm" -> Attributes.getInt(node, "transA", 0) == 0;
            case "MatMul" -> graph.initializer(node.getInput(1)).get().getDimsCount() == 2;
            default -> false;
        };
    }

    /** Why a layer's channels stay. */
    private static final class NotPrunable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotPrunable(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Follows the layer's output to every reader and collects the edits, or throws {@link NotPrunable}. */
    private ChannelGroup group(OnnxGraph graph, NodeProto producer) {
        TensorProto weight = graph.initializer(producer.getInput(1)).orElseThrow();
        long[] dims = Tensors.dims(weight);
        int outAxis = WeightTensors.outputAxis(producer);
        int channels = (int) dims[outAxis];
        Map<String, Integer> edits = new LinkedHashMap<>();
        Map<String, Integer> blocks = new HashMap<>();
        List<String> depthwise = new ArrayList<>();
        ownInitializer(graph, producer.getInput(1), producer);
        edits.put(producer.getInput(1), outAxis);
        if (producer.getInputCount() > 2 && !producer.getInput(2).isEmpty()) {
            ownInitializer(graph, producer.getInput(2), producer);
            if (graph.initializer(producer.getInput(2)).get().getDimsCount() != 1) {
                throw new NotPrunable("its bias is not one value per channel");
            }
            edits.put(producer.getInput(2), 0);
        }
        follow(graph, producer.getOutput(0), channels, edits, blocks, depthwise, false);
        int keep = Math.max(1, (int) Math.round(channels * (1 - fraction)));
        if (keep >= channels) {
            throw new NotPrunable("it has too few channels to remove " + fraction + " of them");
        }
        return new ChannelGroup(producer.getName(), channels, strongest(weight, outAxis, keep), edits, depthwise,
                blocks);
    }

    /** Walks from {@code tensor} (channels on axis 1, or features of a flattened block) to the layers that read it. */
    private static void follow(OnnxGraph graph, String tensor, int channels, Map<String, Integer> edits,
            Map<String, Integer> blocks, List<String> depthwise, boolean flattened) {
        if (graph.isGraphOutput(tensor)) {
            throw new NotPrunable("its channels reach the graph output " + tensor);
        }
        List<NodeProto> readers = graph.consumers(tensor);
        if (readers.isEmpty()) {
            throw new NotPrunable("nothing reads " + tensor);
        }
        for (NodeProto reader : readers) {
            String op = reader.getOpType();
            if (!reader.getDomain().isEmpty() || !reader.getInput(0).equals(tensor)) {
                throw new NotPrunable("its channels reach " + op + " '" + reader.getName() + "', which is not known"
                        + " to act channel by channel");
            }
            if (!flattened && CHANNELWISE.contains(op)) {
                follow(graph, reader.getOutput(0), channels, edits, blocks, depthwise, false);
            } else if (flattened && Set.of("Relu", "Clip", "LeakyRelu", "Sigmoid", "Tanh", "Dropout", "Identity")
                    .contains(op)) {
                follow(graph, reader.getOutput(0), channels, edits, blocks, depthwise, true);
            } else if (!flattened && op.equals("BatchNormalization")) {
                for (int i = 1; i < 5; i++) {
                    ownInitializer(graph, reader.getInput(i), reader);
                    edits.put(reader.getInput(i), 0);
                }
                follow(graph, reader.getOutput(0), channels, edits, blocks, depthwise, false);
            } else if (!flattened && op.equals("Flatten") && Attributes.getInt(reader, "axis", 1) == 1) {
                follow(graph, reader.getOutput(0), channels, edits, blocks, depthwise, true);
            } else if (!flattened && op.equals("Conv") && Attributes.getInt(reader, "group", 1) == channels
                    && channels > 1) {
                // depthwise: each channel its own filter, so it loses the same channels and keeps the walk going
                ownInitializer(graph, reader.getInput(1), reader);
                edits.put(reader.getInput(1), 0);
                if (reader.getInputCount() > 2 && !reader.getInput(2).isEmpty()) {
                    ownInitializer(graph, reader.getInput(2), reader);
                    edits.put(reader.getInput(2), 0);
                }
                depthwise.add(reader.getName());
                follow(graph, reader.getOutput(0), channels, edits, blocks, depthwise, false);
            } else if (!flattened && op.equals("Conv") && Attributes.getInt(reader, "group", 1) == 1) {
                ownInitializer(graph, reader.getInput(1), reader);
                edits.put(reader.getInput(1), 1);
            } else if (op.equals("Gemm") || op.equals("MatMul")) {
                Optional<TensorProto> weight = graph.initializer(reader.getInputCount() > 1 ? reader.getInput(1) : "");
                if (weight.isEmpty() || weight.get().getDimsCount() != 2
                        || Attributes.getInt(reader, "transA", 0) != 0) {
                    throw new NotPrunable(op + " '" + reader.getName() + "' has no 2-D weight initializer");
                }
                ownInitializer(graph, reader.getInput(1), reader);
                int inAxis = op.equals("Gemm") && Attributes.getInt(reader, "transB", 0) == 1 ? 1 : 0;
                long features = weight.get().getDims(inAxis);
                if (features % channels != 0) {
                    throw new NotPrunable(op + " '" + reader.getName() + "' reads " + features + " features, not a"
                            + " whole number per channel of " + channels);
                }
                edits.put(reader.getInput(1), inAxis);
                blocks.put(reader.getInput(1), (int) (features / channels));
            } else {
                throw new NotPrunable("its channels reach " + op + " '" + reader.getName() + "'");
            }
        }
    }

    /** Refuses an initializer that some other node reads too (editing it would change that node). */
    private static void ownInitializer(OnnxGraph graph, String name, NodeProto owner) {
        if (graph.initializer(name).isEmpty()) {
            throw new NotPrunable("'" + name + "' of " + owner.getOpType() + " '" + owner.getName()
                    + "' is not an initializer");
        }
        if (graph.consumers(name).stream().anyMatch(n -> !n.getName().equals(owner.getName()))) {
            throw new NotPrunable("'" + name + "' is shared with another node");
        }
    }

    /** The {@code keep} channels along {@code axis} with the largest L1 norms, ascending by index. */
    static int[] strongest(TensorProto weight, int axis, int keep) {
        float[] values = Tensors.toFloats(weight);
        long[] dims = Tensors.dims(weight);
        int channels = (int) dims[axis];
        long inner = 1;
        for (int d = axis + 1; d < dims.length; d++) {
            inner *= dims[d];
        }
        double[] norms = new double[channels];
        for (int i = 0; i < values.length; i++) {
            norms[(int) ((i / inner) % channels)] += Math.abs(values[i]);
        }
        Integer[] order = new Integer[channels];
        Arrays.setAll(order, i -> i);
        // largest norm first; ties keep the lower index so the choice is repeatable
        Arrays.sort(order, (a, b) -> norms[a] != norms[b] ? Double.compare(norms[b], norms[a]) : Integer.compare(a, b));
        int[] kept = new int[keep];
        for (int i = 0; i < keep; i++) {
            kept[i] = order[i];
        }
        Arrays.sort(kept);
        return kept;
    }

    /**
     * {@code tensor} with only the kept channels along {@code axis}; with {@code block > 1} the axis holds
     * {@code channels * block} features and each kept channel keeps its block.
     */
    static TensorProto select(TensorProto tensor, int axis, int[] kept, int channels, int block) {
        float[] values = Tensors.toFloats(tensor);
        long[] dims = Tensors.dims(tensor);
        if (dims[axis] != (long) channels * block) {
            throw new IllegalStateException("'" + tensor.getName() + "' has " + dims[axis] + " entries on axis " + axis
                    + ", expected " + channels * block);
        }
        long outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= dims[d];
        }
        long inner = 1;
        for (int d = axis + 1; d < dims.length; d++) {
            inner *= dims[d];
        }
        long[] newDims = dims.clone();
        newDims[axis] = (long) kept.length * block;
        float[] out = new float[Math.toIntExact(outer * newDims[axis] * inner)];
        int at = 0;
        for (long o = 0; o < outer; o++) {
            for (int channel : kept) {
                for (int b = 0; b < block; b++) {
                    long from = (o * dims[axis] + (long) channel * block + b) * inner;
                    System.arraycopy(values, (int) from, out, at, (int) inner);
                    at += (int) inner;
                }
            }
        }
        return Tensors.ofFloats(tensor.getName(), newDims, out);
    }
}
