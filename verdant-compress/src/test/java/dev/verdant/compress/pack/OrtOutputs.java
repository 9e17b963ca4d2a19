package dev.verdant.compress.pack;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.verdant.compress.PassContext.InputTensor;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test helper: runs a model in ONNX Runtime on one thread (so runs are reproducible) and compares outputs. Kept
 * free of the pipeline's session wrapper so these tests stand on their own.
 */
public final class OrtOutputs {

    private OrtOutputs() {
    }

    /** Every float output of the model, by output name. */
    public static Map<String, float[]> run(ModelProto model, Map<String, InputTensor> inputs) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        List<OnnxTensor> feeds = new ArrayList<>();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(model.toByteArray(), options)) {
                Map<String, OnnxTensor> feed = new LinkedHashMap<>();
                for (Map.Entry<String, InputTensor> input : inputs.entrySet()) {
                    InputTensor value = input.getValue();
                    OnnxTensor tensor = value.floats() != null
                            ? OnnxTensor.createTensor(env, FloatBuffer.wrap(value.floats()), value.shape())
                            : OnnxTensor.createTensor(env, LongBuffer.wrap(value.longs()), value.shape());
                    feeds.add(tensor);
                    feed.put(input.getKey(), tensor);
                }
                Map<String, float[]> outputs = new LinkedHashMap<>();
                try (OrtSession.Result result = session.run(feed)) {
                    for (Map.Entry<String, OnnxValue> output : result) {
                        FloatBuffer buffer = ((OnnxTensor) output.getValue()).getFloatBuffer();
                        float[] values = new float[buffer.remaining()];
                        buffer.get(values);
                        outputs.put(output.getKey(), values);
                    }
                }
                return outputs;
            }
        } finally {
            feeds.forEach(OnnxTensor::close);
        }
    }

    /** Cosine similarity of two equally long vectors. */
    public static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    /** Largest absolute difference of two equally long vectors. */
    public static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }
}
