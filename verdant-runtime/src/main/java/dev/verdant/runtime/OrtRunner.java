package dev.verdant.runtime;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One model open in ONNX Runtime, opened through a {@link SessionSpec}: the one owner of an {@code OrtSession} in
 * Verdant. It takes plain {@link InputTensor}s (or batches a {@link Feed} prepared) and answers plain float arrays,
 * so the compress checks, bench, the classifier and feature-extractor scorers and the shape probe never touch
 * ONNX Runtime's types or repeat its open, run and close steps. {@link #close()} is idempotent and throws nothing
 * checked; every failure is one line that keeps its cause.
 */
public final class OrtRunner implements AutoCloseable {

    private final OrtSession session;
    private final String label;
    private final ModelInputs inputs;
    private final CloseOnce state = new CloseOnce("this ONNX Runtime session is closed");

    private OrtRunner(OrtSession session, String label) {
        this.session = session;
        this.label = label;
        try {
            this.inputs = ModelInputs.of(session);
        } catch (OrtException e) {
            close();
            throw new IllegalArgumentException("ONNX Runtime cannot describe the inputs of " + label + ": "
                    + OrtTensors.firstLine(e), e);
        }
    }

    /**
     * Opens a model held in memory.
     *
     * @throws IllegalArgumentException when ONNX Runtime refuses the model (an op it does not know, a bad shape)
     */
    public static OrtRunner open(ModelProto model, SessionSpec spec) {
        try {
            return new OrtRunner(spec.open(model), "the model");
        } catch (OrtException e) {
            throw new IllegalArgumentException("ONNX Runtime cannot load the model: " + OrtTensors.firstLine(e), e);
        }
    }

    /**
     * Opens a model file (ONNX Runtime reads it, and any external data beside it, itself).
     *
     * @param label how messages name the model
     * @throws IllegalArgumentException when ONNX Runtime refuses the model
     */
    public static OrtRunner open(Path file, SessionSpec spec, String label) {
        try {
            return new OrtRunner(spec.open(file), label);
        } catch (OrtException e) {
            throw new IllegalArgumentException("ONNX Runtime cannot load " + label + ": " + OrtTensors.firstLine(e), e);
        }
    }

    /**
     * Loads ONNX Runtime's native library and environment now, so that a measured phase that opens a session later
     * does not pay ONNX Runtime's start-up.
     */
    public static void loadRuntime() {
        OrtNatives.environment();
    }

    /** The version of ONNX Runtime that runs the models, for reports. */
    public static String runtimeVersion() {
        return OrtNatives.environment().getVersion();
    }

    /** What the model reads, as ONNX Runtime reports it. */
    public ModelInputs inputs() {
        return inputs;
    }

    /** Runs one batch and returns every float output by name, in the model's output order. */
    public Map<String, Output> run(Map<String, InputTensor> feeds) {
        return run(feeds, name -> true);
    }

    /** Runs one batch and copies out the float outputs {@code wanted} accepts (ONNX Runtime computes them all). */
    private Map<String, Output> run(Map<String, InputTensor> feeds, Predicate<String> wanted) {
        state.ensureOpen();
        Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, InputTensor> input : feeds.entrySet()) {
                tensors.put(input.getKey(), OrtTensors.tensor(input.getValue()));
            }
            Map<String, Output> outputs = new LinkedHashMap<>();
            try (OrtSession.Result result = session.run(tensors)) {
                for (Map.Entry<String, OnnxValue> entry : result) {
                    if (wanted.test(entry.getKey()) && entry.getValue() instanceof OnnxTensor tensor
                            && tensor.getInfo().type == OnnxJavaType.FLOAT) {
                        outputs.put(entry.getKey(), new Output(tensor.getInfo().getShape(), floats(tensor)));
                    }
                }
            }
            return outputs;
        } catch (OrtException e) {
            throw failedToRun(e);
        } finally {
            tensors.values().forEach(OnnxTensor::close);
        }
    }

    /**
     * The model's first output for one batch, which must be a float tensor.
     *
     * @throws IllegalArgumentException naming the output when it is not float32
     */
    public Output firstOutput(Map<String, InputTensor> feeds) {
        state.ensureOpen();
        String first = session.getOutputNames().iterator().next();
        Output output = run(feeds, first::equals).get(first);
        if (output == null) {
            throw new IllegalArgumentException("the model's first output '" + first + "' is not a float32 tensor");
        }
        return output;
    }

    /**
     * Runs batch {@code run} of {@code batches} (they are taken in turn) and drops the outputs: the one call a
     * benchmark times, with inputs made before timing started.
     */
    public void run(PreparedBatches batches, long run) {
        state.ensureOpen();
        try (OrtSession.Result ignored = session.run(batches.feeds(run))) {
            // the outputs are made and freed; the timing is the caller's
        } catch (OrtException e) {
            throw failedToRun(e);
        }
    }

    /** Runs ONNX Runtime tensors made in this package (the shape probe's) and hands the raw result over. */
    OrtSession.Result runTensors(Map<String, OnnxTensor> feeds) throws OrtException {
        state.ensureOpen();
        return session.run(feeds);
    }

    private static float[] floats(OnnxTensor tensor) {
        FloatBuffer buffer = tensor.getFloatBuffer();
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
    }

    private IllegalArgumentException failedToRun(OrtException e) {
        return new IllegalArgumentException("ONNX Runtime failed to run " + label + ": " + OrtTensors.firstLine(e), e);
    }

    /** Frees the session; idempotent. */
    @Override
    public void close() {
        state.close(() -> {
            try {
                session.close();
            } catch (OrtException e) {
                throw new IllegalStateException("cannot close the ONNX Runtime session: " + OrtTensors.firstLine(e), e);
            }
        });
    }

    /**
     * One float output.
     *
     * @param shape  dims
     * @param values row-major values
     */
    public record Output(long[] shape, float[] values) {

        /**
         * One vector per example: for a {@code (batch, sequence, hidden)} output and the batch's attention mask
         * ({@code (batch, sequence)} longs), each example's hidden vectors mean-pooled over its real tokens, as
         * sentence encoders are used; otherwise the values cut into rows along the first axis.
         *
         * @param attentionMask the batch's attention mask, or null
         */
        public float[][] embeddings(InputTensor attentionMask) {
            int batch = Math.toIntExact(shape.length == 0 ? 1 : shape[0]);
            int perRow = values.length / Math.max(batch, 1);
            float[][] rows = new float[batch][];
            if (shape.length == 3 && attentionMask != null && attentionMask.longs() != null
                    && attentionMask.shape()[1] == shape[1]) {
                long[] mask = attentionMask.longs();
                int sequence = Math.toIntExact(shape[1]);
                int hidden = Math.toIntExact(shape[2]);
                for (int b = 0; b < batch; b++) {
                    float[] pooled = new float[hidden];
                    int count = 0;
                    for (int s = 0; s < sequence; s++) {
                        if (mask[b * sequence + s] != 0) {
                            count++;
                            int offset = (b * sequence + s) * hidden;
                            for (int h = 0; h < hidden; h++) {
                                pooled[h] += values[offset + h];
                            }
                        }
                    }
                    for (int h = 0; h < hidden; h++) {
                        pooled[h] /= Math.max(count, 1);
                    }
                    rows[b] = pooled;
                }
                return rows;
            }
            for (int b = 0; b < batch; b++) {
                rows[b] = java.util.Arrays.copyOfRange(values, b * perRow, (b + 1) * perRow);
            }
            return rows;
        }
    }
}
