package dev.verdant.compress.prune;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.Tensors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the weights of a float model: initializers read as input 1 of MatMul, Gemm or Conv. Biases, shape constants
 * and normalization statistics are never weights. Weights held by {@code Constant} nodes count too; passes lift them
 * into initializers first ({@link #liftConstantWeights}). Models the weight passes cannot handle (quantized operators,
 * weights computed by other nodes, non-float32 weights) are refused up front with the node named.
 */
public final class WeightTensors {

    /** Ops that hold a weight at input 1. */
    public static final Set<String> WEIGHT_OPS = Set.of("MatMul", "Gemm", "Conv");

    /** Ops of quantized models: their weights are integers already, so pruning or sharing them would need a float copy. */
    private static final Set<String> QUANTIZED_OPS = Set.of("MatMulInteger", "ConvInteger", "QLinearConv",
            "QLinearMatMul", "DynamicQuantizeMatMul", "MatMulNBits", "QAttention", "QGemm", "DequantizeLinear");

    private WeightTensors() {
    }

    /**
     * The weights of a float model in initializer order, each listed once (with the first node that reads it).
     *
     * @param passName the pass asking, for the refusal message
     * @throws IllegalArgumentException naming the node when the model is quantized or a weight is not a float32
     *                                  initializer
     */
    public static List<WeightTensor> find(OnnxGraph graph, String passName) {
        for (NodeProto node : graph.nodes()) {
            if (QUANTIZED_OPS.contains(node.getOpType())) {
                throw new IllegalArgumentException(passName + " needs a float model, but node '" + node.getName()
                        + "' is " + node.getOpType() + " (a quantized model); " + passName
                        + " the float model before quantizing it");
            }
        }
        Map<String, WeightTensor> byName = new LinkedHashMap<>();
        Map<String, Boolean> constant = new HashMap<>();
        for (NodeProto node : graph.topologicalOrder()) {
            if (!WEIGHT_OPS.contains(node.getOpType()) || !node.getDomain().isEmpty() || node.getInputCount() < 2) {
                continue;
            }
            String input = node.getInput(1);
            Optional<TensorProto> initializer = graph.initializer(input).or(() -> constantNodeValue(graph, input));
            if (initializer.isEmpty()) {
                if (isConstant(graph, input, constant)) {
                    String producer = graph.producer(input).map(NodeProto::getOpType).orElse("?");
                    throw new IllegalArgumentException(passName + " cannot rewrite the weight of node '"
                            + node.getName() + "' (" + node.getOpType() + "): it is computed by a " + producer
                            + " node, not stored as a float32 initializer (already shared or quantized?)");
                }
                continue; // an activation times an activation, as in attention: no weight here
            }
            TensorProto tensor = initializer.get();
            DataType type = DataType.of(tensor);
            if (type != DataType.FLOAT) {
                throw new IllegalArgumentException(passName + " supports float32 weights only, but '" + input
                        + "' of node '" + node.getName() + "' is " + type.onnxName());
            }
            byName.putIfAbsent(input, new WeightTensor(input, node.getName(), node.getOpType(), Tensors.dims(tensor),
                    reductionAxis(node, tensor.getDimsCount())));
        }
        List<WeightTensor> ordered = new ArrayList<>();
        for (String name : graph.initializers().keySet()) {
            WeightTensor weight = byName.remove(name);
            if (weight != null) {
                ordered.add(weight);
            }
        }
        ordered.addAll(byName.values()); // weights held by Constant nodes, in node order
        return ordered;
    }

    /**
     * A copy of the model in which every weight held by a {@code Constant} node (as paddle2onnx and some PyTorch
     * exports write them) is an initializer of the same name instead, so passes read and replace all weights one
     * way. The computation is unchanged; returns the model itself when there is nothing to lift.
     */
    public static ModelProto liftConstantWeights(ModelProto model) {
        OnnxGraph graph = OnnxGraph.of(model);
        Map<String, TensorProto> lifted = new LinkedHashMap<>();
        for (NodeProto node : graph.nodes()) {
            if (WEIGHT_OPS.contains(node.getOpType()) && node.getDomain().isEmpty() && node.getInputCount() >= 2
                    && graph.initializer(node.getInput(1)).isEmpty()) {
                constantNodeValue(graph, node.getInput(1)).ifPresent(t -> lifted.put(t.getName(), t));
            }
        }
        if (lifted.isEmpty()) {
            return model;
        }
        GraphProto.Builder builder = model.getGraph().toBuilder().clearNode();
        for (NodeProto node : graph.nodes()) {
            if (!(node.getOpType().equals("Constant") && lifted.containsKey(node.getOutput(0)))) {
                builder.addNode(node);
            }
        }
        builder.addAllInitializer(lifted.values());
        return model.toBuilder().setGraph(builder).build();
    }

    /** The tensor a default-domain Constant node gives {@code tensor} through its {@code value} attribute, named so. */
    private static Optional<TensorProto> constantNodeValue(OnnxGraph graph, String tensor) {
        return graph.producer(tensor)
                .filter(n -> n.getOpType().equals("Constant") && n.getDomain().isEmpty())
                .flatMap(n -> Attributes.getTensor(n, "value"))
                .map(t -> t.toBuilder().setName(tensor).build());
    }

    /**
     * A model ready for a pass that rewrites weights: weights held by Constant nodes lifted into initializers, its
     * graph view, and its weights in initializer order.
     *
     * @param model   the lifted model (the input itself when nothing was lifted)
     * @param graph   the view of {@code model}
     * @param weights the weights, never empty
     */
    public record ModelWeights(ModelProto model, OnnxGraph graph, List<WeightTensor> weights) {
        public ModelWeights {
            weights = List.copyOf(weights);
        }
    }

    /**
     * Lifts Constant-held weights and finds the weights, refusing a model with none.
     *
     * @throws IllegalArgumentException as {@link #find} does, or when the model has no weight to work on
     */
    public static ModelWeights prepare(ModelProto model, String passName) {
        ModelProto lifted = liftConstantWeights(model);
        OnnxGraph graph = OnnxGraph.of(lifted);
        return new ModelWeights(lifted, graph, requireAny(graph, passName));
    }

    /** {@link #find}, refusing a model with no MatMul, Gemm or Conv weight. */
    public static List<WeightTensor> requireAny(OnnxGraph graph, String passName) {
        List<WeightTensor> weights = find(graph, passName);
        if (weights.isEmpty()) {
            throw new IllegalArgumentException(passName + " found no MatMul, Gemm or Conv weights in the model");
        }
        return weights;
    }

    /**
     * The names of all initializers read as input 1 of a default-domain MatMul, Gemm or Conv, whatever their type,
     * with no refusal: for passes such as packing that store weights but never change them.
     */
    public static Set<String> readAsWeights(OnnxGraph graph) {
        Set<String> names = new java.util.LinkedHashSet<>();
        for (NodeProto node : graph.nodes()) {
            if (WEIGHT_OPS.contains(node.getOpType()) && node.getDomain().isEmpty() && node.getInputCount() >= 2
                    && graph.initializer(node.getInput(1)).isPresent()) {
                names.add(node.getInput(1));
            }
        }
        return names;
    }

    /**
     * The axis of a 2-D MatMul or Gemm weight, or a Conv weight, (input 1) that indexes the node's output channels:
     * Conv's 0, Gemm's by {@code transB}, MatMul's 1.
     */
    public static int outputAxis(NodeProto node) {
        return switch (node.getOpType()) {
            case "Conv" -> 0;
            case "Gemm" -> Attributes.getInt(node, "transB", 0) == 1 ? 0 : 1;
            default -> 1;
        };
    }

    /** The axis of the weight its node sums over: rows of MatMul's B, Gemm's B by transB, Conv's input channels. */
    static int reductionAxis(NodeProto node, int rank) {
        return switch (node.getOpType()) {
            case "Gemm" -> Attributes.getInt(node, "transB", 0) != 0 ? 1 : 0;
            case "Conv" -> 1;
            default -> Math.max(0, rank - 2);
        };
    }

    /** Whether a tensor depends on initializers and constants only (so it is a stored weight in disguise). */
    private static boolean isConstant(OnnxGraph graph, String tensor, Map<String, Boolean> memo) {
        Boolean known = memo.get(tensor);
        if (known != null) {
            return known;
        }
        boolean result;
        if (graph.initializer(tensor).isPresent()) {
            result = true;
        } else {
            Optional<NodeProto> producer = graph.producer(tensor);
            result = producer.isPresent() && producer.get().getInputList().stream()
                    .allMatch(in -> in.isEmpty() || isConstant(graph, in, memo));
        }
        memo.put(tensor, result);
        return result;
    }
}
