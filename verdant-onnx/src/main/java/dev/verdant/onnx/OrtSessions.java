package dev.verdant.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/** Small helpers for ONNX Runtime sessions that every Verdant wrapper of one shares. */
public final class OrtSessions {

    private OrtSessions() {
    }

    /**
     * Closes a session without a checked exception, so wrappers can offer a {@code close()} that throws none;
     * a failure keeps its cause.
     */
    public static void close(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close the ONNX Runtime session: " + e.getMessage(), e);
        }
    }
}
