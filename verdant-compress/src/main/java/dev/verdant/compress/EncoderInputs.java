package dev.verdant.compress;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.verdant.compress.PassContext.CalibrationSample;
import dev.verdant.compress.PassContext.InputTensor;
import dev.verdant.data.TextTokenizer;
import dev.verdant.data.TokenBatch;
import dev.verdant.onnx.OnnxGraph;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns real sentences into input batches for a BERT-style text encoder: tokenized with the model's own HuggingFace
 * tokenizer ({@link TextTokenizer}), truncated and padded to a fixed length, and named after the graph inputs
 * ({@code input_ids}, {@code attention_mask}, {@code token_type_ids}).
 */
public final class EncoderInputs {

    /** The graph input that carries the 0/1 padding mask, which mean pooling also reads. */
    public static final String ATTENTION_MASK = "attention_mask";

    private EncoderInputs() {
    }

    /** Whether a model takes the inputs this class makes (all int64: token ids and optionally mask and types). */
    public static boolean accepts(ModelProto model) {
        List<String> names = inputNames(model);
        return names.contains("input_ids") && TokenBatch.INPUT_NAMES.containsAll(names);
    }

    /**
     * Batches of {@code batchSize} sentences (the last may be smaller), each padded to {@code sequenceLength}
     * tokens, holding only the inputs the model declares.
     */
    public static List<CalibrationSample> batches(ModelProto model, Path tokenizerFile, List<String> sentences,
            int batchSize, int sequenceLength) {
        List<String> names = inputNames(model);
        List<CalibrationSample> batches = new ArrayList<>();
        try (TextTokenizer tokenizer = TextTokenizer.load(tokenizerFile, sequenceLength)) {
            for (TokenBatch batch : tokenizer.tokenize("sentences", sentences).batches(batchSize,
                    tokenizer.fixedPadding())) {
                Map<String, InputTensor> inputs = new HashMap<>();
                for (String name : TokenBatch.INPUT_NAMES) {
                    if (name.equals("input_ids") || names.contains(name)) {
                        inputs.put(name, new InputTensor(batch.shape(), null, batch.values(name)));
                    }
                }
                batches.add(new CalibrationSample(inputs));
            }
        }
        return batches;
    }

    private static List<String> inputNames(ModelProto model) {
        return OnnxGraph.of(model).inputs().stream().map(ValueInfoProto::getName).toList();
    }
}
