package dev.verdant.compress;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.compress.PassContext.CalibrationSample;
import dev.verdant.data.Datasets;
import dev.verdant.onnx.BuiltinModel;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.runtime.OrtRunner;
import dev.verdant.runtime.SessionSpec;
import java.util.List;

/** The real all-MiniLM-L6-v2 and real WordNet glosses, tokenized the way the model was trained, for tests. */
public final class MiniLmFixture {

    private MiniLmFixture() {
    }

    public static ModelProto model() {
        return OnnxModels.read(BuiltinModel.MINILM.modelFile());
    }

    /** {@code count} WordNet noun glosses after the first {@code skip}, in batches of 16 padded to 128 tokens. */
    public static List<CalibrationSample> batches(ModelProto model, int skip, int count) {
        List<String> glosses = Datasets.resolveTexts(Datasets.WORDNET_NOUNS).loadAll().texts().subList(skip,
                skip + count);
        return EncoderInputs.batches(model, BuiltinModel.MINILM.tokenizerFile(), glosses, 16, 128);
    }

    /** Compares two models in ONNX Runtime (2 threads) over the batches. */
    public static Fidelity compare(ModelProto reference, ModelProto candidate, List<CalibrationSample> batches) {
        Fidelity.Meter meter = new Fidelity.Meter();
        try (OrtRunner before = OrtRunner.open(reference, SessionSpec.threads(2));
                OrtRunner after = OrtRunner.open(candidate, SessionSpec.threads(2))) {
            for (CalibrationSample batch : batches) {
                meter.add(before.run(batch.inputs()), after.run(batch.inputs()), batch);
            }
        }
        return meter.result();
    }
}
