package dev.verdant.compress.pack;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.compress.OrtModel;
import dev.verdant.compress.PassContext.CalibrationSample;
import dev.verdant.compress.PassContext.InputTensor;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test helper: runs a model in ONNX Runtime on one thread (so runs are reproducible) and compares outputs. */
public final class OrtOutputs {

    private OrtOutputs() {
    }

    /** Every float output of the model, by output name. */
    public static Map<String, float[]> run(ModelProto model, Map<String, InputTensor> inputs) {
        try (OrtModel session = new OrtModel(model, 1)) {
            Map<String, float[]> outputs = new LinkedHashMap<>();
            session.run(new CalibrationSample(inputs)).forEach((name, output) -> outputs.put(name, output.values()));
            return outputs;
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
