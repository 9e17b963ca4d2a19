package dev.verdant.train.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs a model with one float input in ONNX Runtime and through the interpreter, for side-by-side checks. */
final class OrtReference {

    private OrtReference() {
    }

    /** Every output of the model from ONNX Runtime, flattened. */
    static Map<String, float[]> runOrt(ModelProto model, String input, float[] values, long[] shape)
            throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(model.toByteArray(), new OrtSession.SessionOptions());
             OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(values), shape);
             OrtSession.Result result = session.run(Map.of(input, tensor))) {
            Map<String, float[]> outputs = new LinkedHashMap<>();
            result.forEach(entry -> {
                FloatBuffer buffer = ((OnnxTensor) entry.getValue()).getFloatBuffer();
                float[] flat = new float[buffer.remaining()];
                buffer.get(flat);
                outputs.put(entry.getKey(), flat);
            });
            return outputs;
        }
    }

    /** Every output of the model from the interpreter (inference mode), flattened. */
    static Map<String, float[]> runInterpreter(ModelProto model, String input, float[] values, long[] shape) {
        try (CompiledGraph graph = GraphInterpreter.compile(model, CompileOptions.defaults().frozen());
             NDManager batch = graph.manager().newSubManager()) {
            NDArray x = batch.create(values, new Shape(shape));
            Map<String, float[]> outputs = new LinkedHashMap<>();
            graph.forward(batch, Map.of(input, x), false).forEach((name, array) -> outputs.put(name,
                    array.toFloatArray()));
            return outputs;
        }
    }

    static double maxAbsDifference(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
