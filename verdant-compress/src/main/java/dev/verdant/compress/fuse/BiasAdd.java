package dev.verdant.compress.fuse;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.verdant.compress.GraphEdit;
import java.util.Optional;

/**
 * The bias of a dense layer as exported: {@code Add(MatMul(x, W), b)} (either operand order) with a constant
 * rank-1 {@code b}, whose MatMul output nothing else reads, so a fused op can take {@code b} as its bias input.
 *
 * @param add    the Add node
 * @param input  the MatMul output the bias is added to
 * @param bias   the constant bias tensor
 */
record BiasAdd(NodeProto add, String input, String bias) {

    /** The bias Add that produces {@code tensor}, if it is one. */
    static Optional<BiasAdd> of(GraphEdit graph, String tensor) {
        Optional<NodeProto> add = graph.producer(tensor).filter(n -> n.getOpType().equals("Add")
                && n.getInputCount() == 2);
        if (add.isEmpty()) {
            return Optional.empty();
        }
        for (int biasIndex = 0; biasIndex < 2; biasIndex++) {
            String bias = add.get().getInput(biasIndex);
            String input = add.get().getInput(1 - biasIndex);
            boolean isBias = LayerNormFusion.isVector(graph, bias);
            boolean fromMatMul = graph.producer(input).map(p -> p.getOpType().equals("MatMul")).orElse(false)
                    && graph.soleConsumer(input).isPresent();
            if (isBias && fromMatMul) {
                return Optional.of(new BiasAdd(add.get(), input, bias));
            }
        }
        return Optional.empty();
    }
}
