package dev.verdant.train.graph;

/** A node failed while a compiled graph ran; the message names the node and keeps the cause. */
public final class GraphExecutionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public GraphExecutionException(String message, Throwable cause) {
        super(message, cause);
    }
}
