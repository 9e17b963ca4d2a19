import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.compress.EncoderInputs;
import dev.verdant.compress.PassContext.CalibrationSample;
import dev.verdant.data.Datasets;
import dev.verdant.onnx.BuiltinModel;
import java.util.List;

/**
 * The text both MiniLM pruning benches read (found by the JDK's multi-file source launcher): WordNet noun glosses,
 * the first {@code calibration} to prune (and fine-tune) on, the next {@code check} to judge fidelity, in batches of
 * 16 padded to 128 tokens.
 *
 * @param calibration the glosses the pass sees
 * @param check       held-out glosses, after the calibration ones
 */
record GlossBatches(List<CalibrationSample> calibration, List<CalibrationSample> check) {

    static GlossBatches of(ModelProto model, int calibrationCount, int checkCount) {
        List<String> glosses = Datasets.resolveTexts(Datasets.WORDNET_NOUNS).loadAll().texts();
        return new GlossBatches(
                EncoderInputs.batches(model, BuiltinModel.MINILM.tokenizerFile(), glosses.subList(0, calibrationCount),
                        16, 128),
                EncoderInputs.batches(model, BuiltinModel.MINILM.tokenizerFile(),
                        glosses.subList(calibrationCount, calibrationCount + checkCount), 16, 128));
    }
}
