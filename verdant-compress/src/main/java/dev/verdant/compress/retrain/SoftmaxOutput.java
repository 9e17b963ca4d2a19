package dev.verdant.compress.retrain;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.verdant.onnx.OnnxGraph;
import java.util.Optional;

/**
 * Whether a classifier's first output is a Softmax of its logits (through any Identity nodes). A distillation loss
 * reads logits: probabilities given as logits would be softened again, flattening the targets without any error, so
 * the steps that distil ask this first.
 */
public final class SoftmaxOutput {

    private SoftmaxOutput() {
    }

    /** The name of {@code graph}'s first output when a Softmax produces it, else empty. */
    public static Optional<String> of(OnnxGraph graph) {
        String output = graph.outputs().get(0).getName();
        Optional<NodeProto> producer = graph.producer(output);
        while (producer.isPresent() && producer.get().getOpType().equals("Identity")) {
            producer = graph.producer(producer.get().getInput(0));
        }
        return producer.isPresent() && producer.get().getOpType().equals("Softmax") ? Optional.of(output)
                : Optional.empty();
    }
}
