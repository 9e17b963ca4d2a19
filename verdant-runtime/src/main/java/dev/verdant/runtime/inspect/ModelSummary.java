package dev.verdant.runtime.inspect;

import java.util.List;
import java.util.Map;

/**
 * What {@code verdant inspect} reports about a model: format versions, interface, size, parameters, operators,
 * sparsity and compute for concrete input shapes.
 *
 * @param model               the file or built-in name inspected
 * @param irVersion           ONNX IR version
 * @param opset               default-domain operator set version
 * @param opsets              operator set version by domain ({@code ai.onnx} for the default)
 * @param producer            producer name and version as the file records them
 * @param inputs              graph inputs (initializers excluded)
 * @param outputs             graph outputs
 * @param params              elements of floating-point initializers (weights, biases, embeddings)
 * @param quantizedParams     elements of 8-bit and 4-bit integer initializers (quantized weights)
 * @param bytes               the file's size on disk
 * @param bytesByType         initializer and constant bytes by element type, as stored
 * @param ops                 node count by operator ({@code domain.Op} outside the default domain)
 * @param nodeCount           number of nodes in the main graph
 * @param weightElements      elements of the weight tensors sparsity is measured on
 * @param weightZeros         exact zeros among them
 * @param sparsity            {@code weightZeros / weightElements}
 * @param macs                multiply-accumulates for the shapes in {@code inputs}
 * @param flops               2 × MACs + elementwise FLOPs
 * @param elementwiseFlops    FLOPs of elementwise, normalization, activation, reduction and pooling ops
 * @param nodesWithUnknownCost nodes whose cost could not be counted (the totals are then lower bounds)
 * @param shapes              where the node outputs' shapes came from: ONNX's shape rules, the model's value_info
 *                            or a probe run in ONNX Runtime
 * @param nodes               per-node compute in topological order
 * @param assumptions         defaults applied (e.g. dynamic dims) and anything else that shapes the figures
 * @param warnings            inputs that contradict themselves, e.g. one dimension name given two sizes
 * @param metadata            the model's metadata_props
 */
public record ModelSummary(
        String model,
        long irVersion,
        long opset,
        Map<String, Long> opsets,
        String producer,
        List<TensorDescription> inputs,
        List<TensorDescription> outputs,
        long params,
        long quantizedParams,
        long bytes,
        Map<String, Long> bytesByType,
        Map<String, Integer> ops,
        int nodeCount,
        long weightElements,
        long weightZeros,
        double sparsity,
        long macs,
        long flops,
        long elementwiseFlops,
        int nodesWithUnknownCost,
        ShapeSources shapes,
        List<NodeCost> nodes,
        List<String> assumptions,
        List<String> warnings,
        Map<String, String> metadata) {
}
