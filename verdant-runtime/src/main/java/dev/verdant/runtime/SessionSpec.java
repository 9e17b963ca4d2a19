package dev.verdant.runtime;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.ExecutionMode;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import java.nio.file.Path;

/**
 * How Verdant opens an ONNX Runtime session, and the one place that opens one: the compress checks, bench,
 * optimize, the classifiers and feature extractors of train and transfer, and the shape probe of inspect all
 * describe their session with this record and run it through an {@link OrtRunner}. Every session runs one
 * operator at a time ({@code SEQUENTIAL}, one inter-op thread), so the intra-op thread count is the only
 * parallelism and means one thing everywhere.
 *
 * @param intraOpThreads threads within an operator; 0 lets ONNX Runtime choose
 * @param optimization   the graph optimization level ({@code ALL_OPT} unless a caller needs the graph as written)
 * @param pooledMemory   ONNX Runtime's CPU arena and memory-pattern planning (on unless a caller must bound memory:
 *                       off, each tensor's memory goes back to the system when its last reader has run, so the peak
 *                       is what is live at once rather than the arena's high-water mark)
 */
public record SessionSpec(int intraOpThreads, OptLevel optimization, boolean pooledMemory) {

    public SessionSpec {
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("threads must be 0 (ONNX Runtime chooses) or more, got "
                    + intraOpThreads);
        }
        if (optimization == null) {
            throw new IllegalArgumentException("optimization level missing");
        }
    }

    /** {@code intraOpThreads} threads at {@code optimization}, with ONNX Runtime's memory pools. */
    public SessionSpec(int intraOpThreads, OptLevel optimization) {
        this(intraOpThreads, optimization, true);
    }

    /** {@code threads} intra-op threads with every graph optimization: what running and timing a model use. */
    public static SessionSpec threads(int threads) {
        return new SessionSpec(threads, OptLevel.ALL_OPT);
    }

    /** The same spec at another optimization level. */
    public SessionSpec withOptimization(OptLevel level) {
        return new SessionSpec(intraOpThreads, level, pooledMemory);
    }

    /** The same spec without the CPU arena and memory patterns: for a run whose memory must stay bounded. */
    public SessionSpec withoutMemoryPools() {
        return new SessionSpec(intraOpThreads, optimization, false);
    }

    /**
     * The same spec at ONNX Runtime's basic level (constant folding and redundant-node removal, no fusions): a model
     * whose intermediate tensors are made graph outputs keeps them all.
     */
    public SessionSpec withBasicOptimization() {
        return withOptimization(OptLevel.BASIC_OPT);
    }

    /** Opens {@code model} in the process-wide ONNX Runtime environment; {@link OrtRunner} owns what it returns. */
    OrtSession open(ModelProto model) throws OrtException {
        try (SessionOptions options = options()) {
            return OrtNatives.environment().createSession(model.toByteArray(), options);
        }
    }

    /** Opens the model file {@code file} (ONNX Runtime reads it, and any external data beside it, itself). */
    OrtSession open(Path file) throws OrtException {
        try (SessionOptions options = options()) {
            return OrtNatives.environment().createSession(file.toString(), options);
        }
    }

    private SessionOptions options() throws OrtException {
        OrtNatives.environment(); // the natives load from Verdant's cache before any ONNX Runtime class needs them
        SessionOptions options = new SessionOptions();
        try {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(optimization);
            if (!pooledMemory) {
                options.setCPUArenaAllocator(false);
                options.setMemoryPatternOptimization(false);
            }
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }
}
