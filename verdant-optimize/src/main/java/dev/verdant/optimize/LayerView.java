package dev.verdant.optimize;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.Tensors;
import dev.verdant.report.Report.LayerRow;
import dev.verdant.runtime.inspect.ModelInspector;
import dev.verdant.runtime.inspect.NodeCost;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The per-layer view of a model as the report shows it: every node that reads a weight tensor (an initializer of
 * two or more dims, directly or through a DequantizeLinear as int8 models hold it), with the weight's element count,
 * its fraction of exact zeros, its bits per element as stored, and the node's multiply-accumulates per inference.
 */
final class LayerView {

    /** Ops that only decode a stored weight (int8 or codebook indices) for the layer that computes with it. */
    private static final java.util.Set<String> DECODING_OPS = java.util.Set.of("Cast", "DequantizeLinear",
            "QuantizeLinear");

    private static final java.util.Set<DataType> WEIGHT_TYPES = java.util.EnumSet.of(DataType.FLOAT,
            DataType.FLOAT16, DataType.BFLOAT16, DataType.INT8, DataType.UINT8, DataType.INT4, DataType.UINT4);

    private LayerView() {
    }

    /**
     * The layers of {@code model} for inputs of {@code batchSize} examples of {@code sequenceLength} tokens (dynamic
     * dims after the first take the sequence length).
     */
    static List<LayerRow> of(ModelProto model, long bytes, int batchSize, int sequenceLength) {
        OnnxGraph graph = OnnxGraph.of(model);
        Map<String, NodeCost> costs = new HashMap<>();
        try {
            ModelInspector.inspect("layers", bytes, model, shapes(graph, batchSize, sequenceLength)).nodes()
                    .forEach(cost -> costs.put(cost.name(), cost));
        } catch (RuntimeException e) {
            // MACs are one column of the view; a graph the cost model cannot walk still shows its weights
        }
        List<LayerRow> rows = new ArrayList<>();
        for (NodeProto node : graph.topologicalOrder()) {
            if (DECODING_OPS.contains(node.getOpType())
                    || node.getOpType().equals("Gather") && codebook(graph, node).isPresent()) {
                continue;   // the decoding of a stored weight, shown as part of the layer that reads it
            }
            NodeCost cost = costs.get(node.getName());
            Long macs = cost == null ? null : cost.macs();
            for (String input : node.getInputList()) {
                Optional<TensorProto> weight = weight(graph, input);
                if (weight.isPresent()) {
                    TensorProto w = weight.get();
                    rows.add(new LayerRow(label(node, w.getName()), node.getOpType(), Tensors.elementCount(w),
                            zeroFraction(w), bits(w), macs));
                    break;
                }
                Optional<LayerRow> shared = shared(graph, node, input, macs);
                if (shared.isPresent()) {
                    rows.add(shared.get());
                    break;
                }
            }
        }
        return rows;
    }

    private static String label(NodeProto node, String weightName) {
        return node.getName().isEmpty() ? weightName : node.getName();
    }

    /**
     * A weight shared through a k-means codebook, as {@code share:} writes it: {@code Gather(codebook, Cast(indices))}.
     * Bits are the index width the codebook needs; zeros are the indices that point at a zero centroid.
     */
    private static Optional<LayerRow> shared(OnnxGraph graph, NodeProto node, String input, Long macs) {
        Optional<NodeProto> gather = graph.producer(input).filter(p -> p.getOpType().equals("Gather"));
        Optional<float[]> codebook = gather.flatMap(g -> codebook(graph, g));
        if (codebook.isEmpty()) {
            return Optional.empty();
        }
        String indexTensor = gather.get().getInput(1);
        Optional<TensorProto> indices = graph.initializer(indexTensor).or(() -> graph.producer(indexTensor)
                .filter(p -> p.getOpType().equals("Cast")).flatMap(p -> graph.initializer(p.getInput(0))));
        if (indices.isEmpty()) {
            return Optional.empty();
        }
        float[] centroids = codebook.get();
        long[] ids = Tensors.toLongs(indices.get());
        long zeros = 0;
        for (long id : ids) {
            zeros += id >= 0 && id < centroids.length && centroids[(int) id] == 0f ? 1 : 0;
        }
        int bits = Math.max(1, 64 - Long.numberOfLeadingZeros(Math.max(1, centroids.length - 1)));
        return Optional.of(new LayerRow(label(node, input), node.getOpType(), (long) ids.length,
                ids.length == 0 ? null : (double) zeros / ids.length, bits, macs));
    }

    /** The float codebook a Gather decodes from (a 1-D float initializer as its data input), if it is one. */
    private static Optional<float[]> codebook(OnnxGraph graph, NodeProto gather) {
        return graph.initializer(gather.getInput(0))
                .filter(t -> t.getDimsCount() == 1 && DataType.of(t) == DataType.FLOAT).map(Tensors::toFloats);
    }

    /** The weight an input carries: an initializer of 2+ dims, or one dequantized by a DequantizeLinear. */
    private static Optional<TensorProto> weight(OnnxGraph graph, String input) {
        Optional<TensorProto> direct = graph.initializer(input).filter(LayerView::isWeight);
        if (direct.isPresent()) {
            return direct;
        }
        return graph.producer(input).filter(p -> p.getOpType().equals("DequantizeLinear"))
                .flatMap(p -> graph.initializer(p.getInput(0))).filter(LayerView::isWeight);
    }

    /** A matrix or kernel of float or narrow integer values; int64 tables (position ids, shapes) are not weights. */
    private static boolean isWeight(TensorProto tensor) {
        return tensor.getDimsCount() >= 2 && WEIGHT_TYPES.contains(DataType.of(tensor));
    }

    private static Integer bits(TensorProto tensor) {
        DataType type = DataType.of(tensor);
        return type == DataType.INT4 || type == DataType.UINT4 ? 4 : type.bytes() * 8;
    }

    /** Exact zeros among the stored values (for int8 weights, stored zeros: symmetric quantization maps 0 to 0). */
    private static Double zeroFraction(TensorProto tensor) {
        DataType type = DataType.of(tensor);
        long zeros = 0;
        long count;
        if (type == DataType.FLOAT) {
            float[] values = Tensors.toFloats(tensor);
            count = values.length;
            for (float v : values) {
                zeros += v == 0f ? 1 : 0;
            }
        } else if (type == DataType.INT8 || type == DataType.UINT8) {
            byte[] values = Tensors.toRawBytes(tensor);
            count = values.length;
            for (byte v : values) {
                zeros += v == 0 ? 1 : 0;
            }
        } else {
            return null;
        }
        return count == 0 ? null : (double) zeros / count;
    }

    /** Concrete input shapes: a dynamic first dim is the batch, any other dynamic dim the sequence length. */
    private static Map<String, long[]> shapes(OnnxGraph graph, int batchSize, int sequenceLength) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (ValueInfoProto input : graph.inputs()) {
            var dims = input.getType().getTensorType().getShape().getDimList();
            long[] shape = new long[dims.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = dims.get(i).hasDimValue() && dims.get(i).getDimValue() > 0 ? dims.get(i).getDimValue()
                        : i == 0 ? batchSize : sequenceLength;
            }
            shapes.put(input.getName(), shape);
        }
        return shapes;
    }
}
