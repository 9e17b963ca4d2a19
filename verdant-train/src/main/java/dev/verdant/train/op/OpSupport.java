package dev.verdant.train.op;

import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.Optional;

/**
 * One operator the interpreter supports: its domain and type, the opset versions whose semantics the kernel
 * implements, the kernel, and the up-front check of a node's attributes.
 *
 * @param domain       operator domain, {@code ""} for the default ONNX domain
 * @param opType       operator type, e.g. {@code Conv}
 * @param sinceVersion first supported opset version of the domain
 * @param untilVersion last supported opset version of the domain (inclusive)
 * @param kernel       the implementation
 * @param validator    rejects attribute combinations the kernel does not implement
 */
public record OpSupport(String domain, String opType, int sinceVersion, int untilVersion, Kernel kernel,
        NodeValidator validator) {

    /** {@code Conv} or {@code com.microsoft:Foo}, as users see an op named. */
    public String displayName() {
        return domain.isEmpty() ? opType : domain + ":" + opType;
    }

    /** Whether this support covers the given opset version. */
    public boolean covers(long opset) {
        return opset >= sinceVersion && opset <= untilVersion;
    }

    /** Why this op cannot run the node at the given opset, or empty when it can. */
    public Optional<String> unsupportedReason(NodeProto node, long opset) {
        if (!covers(opset)) {
            return Optional.of("opset " + opset + " is outside the supported range " + sinceVersion + ".."
                    + untilVersion);
        }
        return validator.unsupportedReason(node, opset);
    }
}
