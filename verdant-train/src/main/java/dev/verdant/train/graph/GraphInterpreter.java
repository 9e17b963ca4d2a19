package dev.verdant.train.graph;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.train.graph.UnsupportedModelException.UnsupportedOp;
import dev.verdant.train.op.ElementTypes;
import dev.verdant.train.op.NDArrayTensors;
import dev.verdant.train.op.OpRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs ONNX graphs on DJL NDArrays with the PyTorch engine. {@link #compile} checks every node up front, turns
 * floating-point initializers into parameters and schedules one kernel per node:
 *
 * <pre>{@code
 * try (CompiledGraph graph = GraphInterpreter.compile(model, CompileOptions.defaults());
 *      NDManager batch = graph.manager().newSubManager()) {
 *     Map<String, NDArray> outputs = graph.forward(batch, inputs, false);
 * }
 * }</pre>
 */
public final class GraphInterpreter {

    private GraphInterpreter() {
    }

    /** Compiles a model with every floating-point initializer trainable. */
    public static CompiledGraph compile(ModelProto model) {
        return compile(model, CompileOptions.defaults());
    }

    /**
     * Compiles a model: validates it (throwing {@link UnsupportedModelException} naming every unsupported op),
     * loads its initializers into PyTorch and folds its constants.
     */
    public static CompiledGraph compile(ModelProto model, CompileOptions options) {
        OnnxGraph graph = OnnxGraph.of(model);
        List<UnsupportedOp> unsupported = validate(graph, options.registry());
        if (!unsupported.isEmpty()) {
            throw new UnsupportedModelException(unsupported);
        }
        return new CompiledGraph(graph, options);
    }

    /** Every operator use (and tensor type) in the model that the registry cannot run; empty when it can run all. */
    public static List<UnsupportedOp> validate(OnnxGraph graph, OpRegistry registry) {
        Map<String, UnsupportedOp> problems = new LinkedHashMap<>();
        for (ValueInfoProto input : graph.graph().getInputList()) {
            checkValue(problems, "graph input '" + input.getName() + "'", input);
        }
        for (ValueInfoProto output : graph.graph().getOutputList()) {
            checkValue(problems, "graph output '" + output.getName() + "'", output);
        }
        for (TensorProto initializer : graph.initializers().values()) {
            checkType(problems, "initializer '" + initializer.getName() + "'", initializer.getDataType());
        }
        for (NodeProto node : graph.topologicalOrder()) {
            String domain = "ai.onnx".equals(node.getDomain()) ? "" : node.getDomain();
            long opset = graph.opsets().getOrDefault(domain, 0L);
            String name = domain.isEmpty() ? node.getOpType() : domain + ":" + node.getOpType();
            String reason = opset == 0 ? "the model imports no opset for domain '" + domain + "'"
                    : registry.unsupportedReason(node, opset).orElse(null);
            if (reason != null) {
                problems.merge(name + "|" + opset + "|" + reason, new UnsupportedOp(name, opset, reason, 1,
                        node.getName()), (a, b) -> new UnsupportedOp(a.op(), a.opset(), a.reason(),
                        a.nodeCount() + 1, a.firstNode()));
            }
        }
        return new ArrayList<>(problems.values());
    }

    /** Graph inputs and outputs must be tensors of a supported type (no sequences, maps or optionals). */
    private static void checkValue(Map<String, UnsupportedOp> problems, String what, ValueInfoProto value) {
        if (value.hasType() && !value.getType().hasTensorType()) {
            problems.put(what, new UnsupportedOp("non-tensor value", 0, what + " has type "
                    + value.getType().getValueCase().name().toLowerCase(java.util.Locale.ROOT).replace("_type", "")
                    + ", not a tensor", 1, ""));
            return;
        }
        checkType(problems, what, value.getType().getTensorType().getElemType());
    }

    private static void checkType(Map<String, UnsupportedOp> problems, String what, int code) {
        if (code == 0) {
            return; // undeclared: checked when the value arrives
        }
        DataType type;
        try {
            type = DataType.of(code);
        } catch (RuntimeException e) {
            problems.put(what, new UnsupportedOp("tensor type " + code, 0, what + " has an unknown type", 1, ""));
            return;
        }
        if (!ElementTypes.isSupported(type)) {
            problems.put(what, new UnsupportedOp("tensor type " + type.onnxName(), 0,
                    what + " is " + type.onnxName() + ", a type the interpreter does not support", 1, ""));
        }
    }
}
