package dev.verdant.compress;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.compress.PassContext.CalibrationSample;
import dev.verdant.data.BatchPadding;
import dev.verdant.data.TextTokenizer;
import dev.verdant.data.TokenBatch;
import dev.verdant.data.TokenizedTexts;
import dev.verdant.runtime.InputTensors;
import dev.verdant.runtime.ModelInputs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns real sentences into calibration and check batches for a text model ({@link ModelInputs#readsText()}):
 * tokenized with the model's own HuggingFace tokenizer ({@link TextTokenizer}), truncated to a length and padded as
 * a {@link BatchPadding} says, holding the token inputs the model declares ({@link InputTensors#tokens}).
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
        return batches(model, tokenizerFile, sentences, batchSize, sequenceLength, BatchPadding.MAX);
    }

    /**
     * Batches of {@code batchSize} sentences (the last may be smaller), each truncated to {@code sequenceLength}
     * tokens and padded as {@code padding} says, holding only the inputs the model declares.
     */
    public static List<CalibrationSample> batches(ModelProto model, Path tokenizerFile, List<String> sentences,
            int batchSize, int sequenceLength, BatchPadding padding) {
        List<String> names = ModelInputs.of(model).names();
        List<CalibrationSample> batches = new ArrayList<>();
        try (TextTokenizer tokenizer = TextTokenizer.load(tokenizerFile, sequenceLength)) {
            for (TokenBatch batch : tokenizer.tokenize("sentences", sentences).batches(batchSize, padding,
                    tokenizer.fixedPadding())) {
                batches.add(new CalibrationSample(InputTensors.tokens(batch, names)));
            }
        }
        return batches;
    }

    /**
     * Refuses, in one line naming {@code what} and the option to change, texts of which every one reaches
     * {@code sequenceLength} tokens: all of them were cut, so neither the check nor padding removal sees the
     * sentences users send.
     *
     * @throws IllegalArgumentException when every text truncates
     */
    public static void requireSomeUntruncated(Path tokenizerFile, List<String> texts, int sequenceLength,
            String what) {
        if (texts.isEmpty()) {
            return;
        }
        try (TextTokenizer tokenizer = TextTokenizer.load(tokenizerFile, sequenceLength)) {
            TokenizedTexts tokens = tokenizer.tokenize(what, texts);
            boolean allCut = tokens.inputIds().stream().allMatch(ids -> ids.length >= sequenceLength);
            if (allCut) {
                throw new IllegalArgumentException("every one of the " + texts.size() + " " + what + " reaches "
                        + "--sequence-length " + sequenceLength + " tokens, so all are truncated; give a larger "
                        + "--sequence-length or shorter texts");
            }
        }
    }
}
