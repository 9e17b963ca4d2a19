package dev.verdant.runtime;

/**
 * Whether a native resource (a session, its tensors, a compiled graph) has been closed: {@link #close(Runnable)} frees
 * it on the first call only, so its owner's {@code close()} is idempotent, and {@link #ensureOpen()} refuses any use
 * after it with one line. Not thread-safe, as the resources it guards are not.
 */
public final class CloseOnce {

    private final String closedMessage;
    private boolean closed;

    /** @param closedMessage what a use after close says, e.g. {@code "this ONNX Runtime session is closed"} */
    public CloseOnce(String closedMessage) {
        this.closedMessage = closedMessage;
    }

    /**
     * Refuses a use after close.
     *
     * @throws IllegalStateException with the closed message, once closed
     */
    public void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(closedMessage);
        }
    }

    /** Runs {@code free} on the first call; later calls do nothing. The resource counts as closed even if it throws. */
    public void close(Runnable free) {
        if (closed) {
            return;
        }
        closed = true;
        free.run();
    }
}
