package dev.verdant.train.graph;

import java.util.List;
import java.util.stream.Collectors;

/** A model the interpreter cannot run, naming every unsupported operator (type, domain, opset) at once. */
public final class UnsupportedModelException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * One unsupported operator use.
     *
     * @param op        the op as users see it, e.g. {@code Loop} or {@code com.microsoft:Attention}
     * @param opset     the model's opset for the op's domain
     * @param reason    why the interpreter cannot run it
     * @param nodeCount how many nodes share this op and reason
     * @param firstNode the name of the first such node
     */
    public record UnsupportedOp(String op, long opset, String reason, int nodeCount, String firstNode) {

        @Override
        public String toString() {
            return op + (opset > 0 ? " (opset " + opset + ")" : "") + ": " + reason + " [" + nodeCount + (nodeCount == 1 ? " node" : " nodes")
                    + (firstNode.isEmpty() ? "" : ", e.g. '" + firstNode + "'") + "]";
        }
    }

    private final transient List<UnsupportedOp> unsupported;

    public UnsupportedModelException(List<UnsupportedOp> unsupported) {
        super("the interpreter cannot run this model: " + unsupported.stream().map(UnsupportedOp::toString)
                .collect(Collectors.joining("; ")));
        this.unsupported = List.copyOf(unsupported);
    }

    public List<UnsupportedOp> unsupported() {
        return unsupported;
    }
}
