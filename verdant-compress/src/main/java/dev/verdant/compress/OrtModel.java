package dev.verdant.compress;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.verdant.compress.PassContext.CalibrationSample;
import dev.verdant.compress.PassContext.InputTensor;
import dev.verdant.onnx.OrtSessions;
import dev.verdant.onnx.SessionSpec;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One model loaded in ONNX Runtime with a fixed number of intra-op threads, fed {@link CalibrationSample}s and
 * answering plain float arrays, so checks and timings never touch ONNX Runtime's types.
 */
public final class OrtModel implements AutoCloseable {

    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private boolean closed;

    /**
     * Loads a model at ONNX Runtime's full graph optimization level, as a user would run it.
     *
     * @throws IllegalArgumentException when ONNX Runtime refuses the model (an op it does not know, a bad shape)
     */
    public OrtModel(ModelProto model, int threads) {
        this(model, threads, OrtSession.SessionOptions.OptLevel.ALL_OPT);
    }

    public OrtModel(ModelProto model, int threads, OrtSession.SessionOptions.OptLevel level) {
        try {
            this.session = new SessionSpec(threads, level).open(model);
        } catch (OrtException e) {
            throw new IllegalArgumentException("ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
    }

    /** Runs one batch and returns every float output by name. */
    public Map<String, Output> run(CalibrationSample sample) {
        ensureOpen();
        Map<String, OnnxTensor> feeds = new HashMap<>();
        try {
            for (Map.Entry<String, InputTensor> input : sample.inputs().entrySet()) {
                InputTensor tensor = input.getValue();
                feeds.put(input.getKey(), tensor.floats() != null
                        ? OnnxTensor.createTensor(environment, FloatBuffer.wrap(tensor.floats()), tensor.shape())
                        : OnnxTensor.createTensor(environment, LongBuffer.wrap(tensor.longs()), tensor.shape()));
            }
            Map<String, Output> outputs = new LinkedHashMap<>();
            try (OrtSession.Result result = session.run(feeds)) {
                for (Map.Entry<String, OnnxValue> entry : result) {
                    if (entry.getValue() instanceof OnnxTensor tensor
                            && tensor.getInfo().type == ai.onnxruntime.OnnxJavaType.FLOAT) {
                        FloatBuffer buffer = tensor.getFloatBuffer();
                        float[] values = new float[buffer.remaining()];
                        buffer.get(values);
                        outputs.put(entry.getKey(), new Output(tensor.getInfo().getShape(), values));
                    }
                }
            }
            return outputs;
        } catch (OrtException e) {
            throw new IllegalArgumentException("ONNX Runtime failed to run the model: " + e.getMessage(), e);
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this ONNX Runtime session is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        OrtSessions.close(session);
    }

    /**
     * One float output.
     *
     * @param shape  dims
     * @param values row-major values
     */
    public record Output(long[] shape, float[] values) {
    }
}
