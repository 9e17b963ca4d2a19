package dev.verdant.train.op;

import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.Optional;

/**
 * Checks before any work starts that a kernel supports a node's attributes at the model's opset, so an
 * unsupported combination is reported up front instead of failing mid-run.
 */
@FunctionalInterface
public interface NodeValidator {

    /** Accepts every node. */
    NodeValidator ANY = (node, opset) -> Optional.empty();

    /** Why the kernel cannot run this node, or empty when it can. */
    Optional<String> unsupportedReason(NodeProto node, long opset);

    /** This check, then {@code next}. */
    default NodeValidator and(NodeValidator next) {
        return (node, opset) -> {
            Optional<String> reason = unsupportedReason(node, opset);
            return reason.isPresent() ? reason : next.unsupportedReason(node, opset);
        };
    }
}
