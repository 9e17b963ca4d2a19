package dev.verdant.compress.share;

import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A weight stored the way {@link WeightSharer} writes it: a float32 codebook initializer and an integer index
 * initializer, expanded at load by {@code Gather(codebook, Cast(indices))} (or a Gather reading the indices directly).
 *
 * @param weight   the tensor the Gather produces, which the layer reads as its weight
 * @param codebook the rank-1 float32 initializer of shared values
 * @param indices  the integer initializer of cluster indices, with the weight's shape
 */
public record SharedWeight(String weight, String codebook, String indices) {

    /** Every shared weight in the graph's main graph, in node order. */
    public static List<SharedWeight> find(OnnxGraph graph) {
        List<SharedWeight> found = new ArrayList<>();
        for (NodeProto node : graph.nodes()) {
            if (!node.getOpType().equals("Gather") || !node.getDomain().isEmpty() || node.getInputCount() != 2) {
                continue;
            }
            Optional<TensorProto> codebook = graph.initializer(node.getInput(0));
            if (codebook.isEmpty() || DataType.of(codebook.get()) != DataType.FLOAT
                    || codebook.get().getDimsCount() != 1) {
                continue;
            }
            String indexTensor = node.getInput(1);
            Optional<NodeProto> cast = graph.producer(indexTensor);
            if (cast.isPresent()) {
                if (!cast.get().getOpType().equals("Cast") || cast.get().getInputCount() != 1) {
                    continue;
                }
                indexTensor = cast.get().getInput(0);
            }
            Optional<TensorProto> indices = graph.initializer(indexTensor);
            if (indices.isPresent() && isIndexType(DataType.of(indices.get()))) {
                found.add(new SharedWeight(node.getOutput(0), node.getInput(0), indexTensor));
            }
        }
        return found;
    }

    private static boolean isIndexType(DataType type) {
        return type == DataType.UINT8 || type == DataType.INT8 || type == DataType.UINT16 || type == DataType.INT16
                || type == DataType.INT32 || type == DataType.INT64;
    }
}
