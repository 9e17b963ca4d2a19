package dev.verdant.compress;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.verdant.compress.PassContext.CalibrationSample;
import dev.verdant.compress.PassContext.InputTensor;
import dev.verdant.onnx.OnnxGraph;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns real sentences into input batches for a BERT-style text encoder: tokenized with the model's own HuggingFace
 * tokenizer, truncated and padded to a fixed length, and named after the graph inputs ({@code input_ids},
 * {@code attention_mask}, {@code token_type_ids}).
 */
public final class EncoderInputs {

    /** The graph input that carries the 0/1 padding mask, which mean pooling also reads. */
    public static final String ATTENTION_MASK = "attention_mask";

    private EncoderInputs() {
    }

    /** Whether a model takes the inputs this class makes (all int64: token ids and optionally mask and types). */
    public static boolean accepts(ModelProto model) {
        List<ValueInfoProto> inputs = OnnxGraph.of(model).inputs();
        return inputs.stream().anyMatch(i -> i.getName().equals("input_ids"))
                && inputs.stream().allMatch(i -> i.getName().equals("input_ids") || i.getName().equals(ATTENTION_MASK)
                        || i.getName().equals("token_type_ids"));
    }

    /**
     * Batches of {@code batchSize} sentences (the last may be smaller), each padded to {@code sequenceLength}
     * tokens, holding only the inputs the model declares.
     */
    public static List<CalibrationSample> batches(ModelProto model, Path tokenizerFile, List<String> sentences,
            int batchSize, int sequenceLength) {
        List<String> names = OnnxGraph.of(model).inputs().stream().map(ValueInfoProto::getName).toList();
        List<CalibrationSample> batches = new ArrayList<>();
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder().optTokenizerPath(tokenizerFile)
                .optMaxLength(sequenceLength).optTruncation(true).optPadToMaxLength().build()) {
            for (int start = 0; start < sentences.size(); start += batchSize) {
                List<String> chunk = sentences.subList(start, Math.min(sentences.size(), start + batchSize));
                Encoding[] encodings = tokenizer.batchEncode(chunk);
                long[] ids = new long[chunk.size() * sequenceLength];
                long[] mask = new long[ids.length];
                long[] types = new long[ids.length];
                for (int row = 0; row < encodings.length; row++) {
                    copy(encodings[row].getIds(), ids, row, sequenceLength);
                    copy(encodings[row].getAttentionMask(), mask, row, sequenceLength);
                    copy(encodings[row].getTypeIds(), types, row, sequenceLength);
                }
                long[] shape = {chunk.size(), sequenceLength};
                Map<String, InputTensor> inputs = new HashMap<>();
                inputs.put("input_ids", new InputTensor(shape, null, ids));
                if (names.contains(ATTENTION_MASK)) {
                    inputs.put(ATTENTION_MASK, new InputTensor(shape, null, mask));
                }
                if (names.contains("token_type_ids")) {
                    inputs.put("token_type_ids", new InputTensor(shape, null, types));
                }
                batches.add(new CalibrationSample(inputs));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tokenizer " + tokenizerFile + ": " + e.getMessage(), e);
        }
        return batches;
    }

    private static void copy(long[] values, long[] into, int row, int length) {
        System.arraycopy(values, 0, into, row * length, Math.min(values.length, length));
    }
}
