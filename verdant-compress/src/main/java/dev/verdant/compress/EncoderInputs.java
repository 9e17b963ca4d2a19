package dev.verdant.compress;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.compress.PassContext.CalibrationSample;
import dev.verdant.data.TextTokenizer;
import dev.verdant.data.TokenBatch;
import dev.verdant.runtime.InputTensors;
import dev.verdant.runtime.ModelInputs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns real sentences into calibration and check batches for a text model ({@link ModelInputs#readsText()}):
 * tokenized with the model's own HuggingFace tokenizer ({@link TextTokenizer}), truncated and padded to a fixed
 * length, holding the token inputs the model declares ({@link InputTensors#tokens}).
 */
public final class EncoderInputs {

    private EncoderInputs() {
    }

    /**
     * Batches of {@code batchSize} sentences (the last may be smaller), each padded to {@code sequenceLength}
     * tokens, holding only the inputs the model declares.
     */
    public static List<CalibrationSample> batches(ModelProto model, Path tokenizerFile, List<String> sentences,
            int batchSize, int sequenceLength) {
        List<String> names = ModelInputs.of(model).names();
        List<CalibrationSample> batches = new ArrayList<>();
        try (TextTokenizer tokenizer = TextTokenizer.load(tokenizerFile, sequenceLength)) {
            for (TokenBatch batch : tokenizer.tokenize("sentences", sentences).batches(batchSize,
                    tokenizer.fixedPadding())) {
                batches.add(new CalibrationSample(InputTensors.tokens(batch, names)));
            }
        }
        return batches;
    }
}
