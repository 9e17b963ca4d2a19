package dev.verdant.compress.pack;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.compress.Fidelity;
import dev.verdant.runtime.InputTensor;
import dev.verdant.runtime.OrtRunner;
import dev.verdant.runtime.SessionSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test helper: runs a model in ONNX Runtime on one thread (so runs are reproducible) and compares outputs. */
public final class OrtOutputs {

    private OrtOutputs() {
    }

    /** Every float output of the model, by output name. */
    public static Map<String, float[]> run(ModelProto model, Map<String, InputTensor> inputs) {
        try (OrtRunner session = OrtRunner.open(model, SessionSpec.threads(1))) {
            Map<String, float[]> outputs = new LinkedHashMap<>();
            session.run(inputs).forEach((name, output) -> outputs.put(name, output.values()));
            return outputs;
        }
    }

    /** Cosine similarity of two equally long vectors, as the compress check computes it. */
    public static double cosine(float[] a, float[] b) {
        return Fidelity.cosine(a, b);
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
