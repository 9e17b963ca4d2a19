package dev.verdant.runtime.inspect;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.Subgraphs;
import dev.verdant.onnx.Tensors;
import dev.verdant.runtime.InferredShapes;
import dev.verdant.runtime.ShapeInference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * Computes a {@link ModelSummary}: parameter and byte counts from the initializers, operator histogram, weight
 * sparsity, and MACs/FLOPs per node for concrete input shapes (shapes from {@link ShapeInference}).
 */
public final class ModelInspector {

    private ModelInspector() {
    }

    /**
     * Inspects a model.
     *
     * @param label       how the report names the model (file path or built-in name)
     * @param fileBytes   the model file's size on disk
     * @param model       the parsed model
     * @param givenShapes user-given input shapes by input name (may be empty)
     */
    public static ModelSummary inspect(String label, long fileBytes, ModelProto model, Map<String, long[]> givenShapes) {
        return inspect(label, fileBytes, model, givenShapes, ShapeInference::infer);
    }

    /** Inspects with shapes from {@code inference} (tests compare the rules with the ONNX Runtime probe this way). */
    static ModelSummary inspect(String label, long fileBytes, ModelProto model, Map<String, long[]> givenShapes,
            BiFunction<OnnxGraph, Map<String, long[]>, InferredShapes> inference) {
        OnnxGraph graph = OnnxGraph.of(model);
        InputShapes inputShapes = InputShapes.resolve(graph, givenShapes);
        InferredShapes inferred = inference.apply(graph, inputShapes.shapes());
        Map<String, long[]> shapes = inferred.shapes();

        List<TensorProto> constants = constants(graph.initializers().values(), graph.nodes());
        Map<String, Long> bytesByType = new TreeMap<>();
        for (TensorProto tensor : constants) {
            bytesByType.merge(DataType.of(tensor).onnxName(), Tensors.storedBytes(tensor), Long::sum);
        }
        long params = 0;
        long quantized = 0;
        for (TensorProto tensor : graph.initializers().values()) {
            DataType type = DataType.of(tensor);
            if (type.isFloatingPoint()) {
                params += Tensors.elementCount(tensor);
            } else if (type == DataType.INT8 || type == DataType.UINT8 || type == DataType.INT4
                    || type == DataType.UINT4) {
                quantized += Tensors.elementCount(tensor);
            }
        }

        long weightElements = 0;
        long weightZeros = 0;
        for (TensorProto tensor : graph.initializers().values()) {
            if (DataType.of(tensor).isFloatingPoint() && Tensors.elementCount(tensor) > 1) {
                float[] values = Tensors.toFloats(tensor);
                weightElements += values.length;
                for (float v : values) {
                    if (v == 0f) {
                        weightZeros++;
                    }
                }
            }
        }

        Map<String, Integer> ops = new TreeMap<>();
        List<NodeCost> nodes = new ArrayList<>();
        long macs = 0;
        long elementwise = 0;
        int unknown = 0;
        int index = 0;
        for (NodeProto node : graph.topologicalOrder()) {
            String label1 = node.getName().isEmpty() ? node.getOpType() + "#" + index : node.getName();
            NodeCost cost = CostModel.cost(node, label1, shapes);
            ops.merge(cost.opType(), 1, Integer::sum);
            nodes.add(cost);
            macs += cost.macs();
            elementwise += cost.elementwiseFlops();
            if (!cost.known()) {
                unknown++;
            }
            index++;
        }

        // weights and nodes inside If/Loop/Scan bodies: counted in size and parameters, not in MACs
        int innerNodes = 0;
        long innerParams = 0;
        for (GraphProto subgraph : Subgraphs.nestedIn(model.getGraph())) {
            innerNodes += subgraph.getNodeCount();
            for (TensorProto tensor : constants(subgraph.getInitializerList(), subgraph.getNodeList())) {
                bytesByType.merge(DataType.of(tensor).onnxName(), Tensors.storedBytes(tensor), Long::sum);
                if (DataType.of(tensor).isFloatingPoint() && Tensors.elementCount(tensor) > 1) {
                    innerParams += Tensors.elementCount(tensor);
                }
            }
        }
        params += innerParams;

        List<String> assumptions = new ArrayList<>(inputShapes.assumptions());
        assumptions.addAll(inferred.notes());
        if (innerNodes > 0) {
            assumptions.add(String.format(java.util.Locale.ROOT, "%,d nodes inside If, Loop or Scan bodies (with "
                    + "%,d floating-point parameters) are counted in Params and Size but not in Operators or MACs",
                    innerNodes, innerParams));
        }
        if (unknown > 0) {
            assumptions.add(unknown + " nodes have shapes that could not be found; MACs and FLOPs are lower bounds");
        }
        Map<String, Long> opsets = new LinkedHashMap<>();
        graph.opsets().forEach((domain, version) -> opsets.put(domain.isEmpty() ? "ai.onnx" : domain, version));
        String producer = (model.getProducerName() + " " + model.getProducerVersion()).strip();
        return new ModelSummary(label, model.getIrVersion(), graph.opset(), opsets, producer,
                describe(graph.inputs(), shapes), describe(graph.outputs(), shapes), params, quantized, fileBytes,
                bytesByType, ops, graph.nodes().size(), weightElements, weightZeros,
                weightElements == 0 ? 0 : (double) weightZeros / weightElements, macs, 2 * macs + elementwise,
                elementwise, unknown, sources(graph, inferred), nodes, assumptions, inputShapes.warnings(),
                graph.metadata());
    }

    /** A graph's stored tensors: its initializers and the values of its Constant nodes. */
    private static List<TensorProto> constants(java.util.Collection<TensorProto> initializers,
            List<NodeProto> nodes) {
        List<TensorProto> constants = new ArrayList<>(initializers);
        for (NodeProto node : nodes) {
            if (node.getOpType().equals("Constant")) {
                Attributes.getTensor(node, "value").ifPresent(constants::add);
            }
        }
        return constants;
    }

    private static ShapeSources sources(OnnxGraph graph, InferredShapes inferred) {
        int byRules = 0;
        int declared = 0;
        int unknown = 0;
        for (NodeProto node : graph.nodes()) {
            for (String output : node.getOutputList()) {
                if (output.isEmpty() || inferred.probed().contains(output)) {
                    continue;
                }
                if (inferred.declared().contains(output)) {
                    declared++;
                } else if (inferred.shapes().containsKey(output)) {
                    byRules++;
                } else {
                    unknown++;
                }
            }
        }
        return new ShapeSources(byRules, declared, new TreeSet<>(inferred.probed()).stream().toList(),
                inferred.probeRuns(), unknown);
    }

    private static List<TensorDescription> describe(List<ValueInfoProto> infos, Map<String, long[]> shapes) {
        List<TensorDescription> result = new ArrayList<>();
        for (ValueInfoProto info : infos) {
            String type = info.getType().hasTensorType()
                    ? DataType.of(info.getType().getTensorType().getElemType()).onnxName() : "non-tensor";
            String declared = info.getType().getTensorType().getShape().getDimList().stream()
                    .map(ModelInspector::dim).collect(Collectors.joining(", ", "[", "]"));
            result.add(new TensorDescription(info.getName(), type, declared, shapes.get(info.getName())));
        }
        return result;
    }

    private static String dim(TensorShapeProto.Dimension d) {
        if (d.hasDimValue()) {
            return Long.toString(d.getDimValue());
        }
        return d.hasDimParam() && !d.getDimParam().isEmpty() ? d.getDimParam() : "?";
    }
}
