package dev.verdant.bench;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real sentences for a BERT-style text model: tokenized with the model's own HuggingFace {@code tokenizer.json},
 * truncated and padded to a fixed sequence length, and fed as the int64 inputs {@code input_ids},
 * {@code attention_mask} and {@code token_type_ids} (whichever the model declares).
 *
 * @param corpusName     where the sentences come from, for reports
 * @param sentences      the sentences, in the order batches take them
 * @param tokenizerFile  the model's {@code tokenizer.json}
 * @param sequenceLength tokens per sentence after truncation and padding
 */
public record TextInputs(String corpusName, List<String> sentences, Path tokenizerFile, int sequenceLength)
        implements InputFeed {

    /** Names of the inputs this feed can fill. */
    public static final List<String> INPUT_NAMES = List.of("input_ids", "attention_mask", "token_type_ids");

    public TextInputs {
        sentences = List.copyOf(sentences);
        if (sequenceLength <= 0) {
            throw new IllegalArgumentException("--seq-len must be positive, got " + sequenceLength);
        }
    }

    @Override
    public String kind() {
        return "data";
    }

    @Override
    public String description() {
        return sentences.size() + " real sentences of " + corpusName + ", tokenized with " + tokenizerFile.getFileName()
                + ", padded or truncated to " + sequenceLength + " tokens";
    }

    @Override
    public PreparedBatches prepare(OrtSession session, int batchSize) throws OrtException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        for (NodeInfo input : inputs.values()) {
            if (!INPUT_NAMES.contains(input.getName())) {
                throw new IllegalArgumentException("the model takes input '" + input.getName() + "', which tokenized "
                        + "text cannot fill (text fills " + String.join(", ", INPUT_NAMES) + ")");
            }
            if (!(input.getInfo() instanceof TensorInfo info) || info.type != OnnxJavaType.INT64) {
                throw new IllegalArgumentException("the model's input '" + input.getName() + "' is not an int64 tensor");
            }
        }
        int count = Math.min(MAX_DISTINCT_BATCHES, sentences.size() / batchSize);
        if (count == 0) {
            throw new IllegalArgumentException(corpusName + " has " + sentences.size()
                    + " sentences, fewer than the batch size " + batchSize);
        }
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        List<Map<String, OnnxTensor>> batches = new ArrayList<>();
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder().optTokenizerPath(tokenizerFile)
                .optMaxLength(sequenceLength).optTruncation(true).optPadToMaxLength().build()) {
            for (int b = 0; b < count; b++) {
                Encoding[] encodings = tokenizer.batchEncode(sentences.subList(b * batchSize, (b + 1) * batchSize));
                // (batch, sequence) row-major, one array per input kind
                Map<String, long[]> values = new LinkedHashMap<>();
                for (String name : inputs.keySet()) {
                    values.put(name, new long[batchSize * sequenceLength]);
                }
                for (int row = 0; row < batchSize; row++) {
                    copyRow(values.get("input_ids"), encodings[row].getIds(), row);
                    copyRow(values.get("attention_mask"), encodings[row].getAttentionMask(), row);
                    copyRow(values.get("token_type_ids"), encodings[row].getTypeIds(), row);
                }
                Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
                batches.add(feeds);
                for (Map.Entry<String, long[]> entry : values.entrySet()) {
                    feeds.put(entry.getKey(), OnnxTensor.createTensor(environment, LongBuffer.wrap(entry.getValue()),
                            new long[] {batchSize, sequenceLength}));
                }
            }
            return new PreparedBatches(batches, batchSize);
        } catch (IOException e) {
            PreparedBatches.closeAll(batches);
            throw new UncheckedIOException("cannot read the tokenizer " + tokenizerFile + ": " + e.getMessage(), e);
        } catch (OrtException | RuntimeException e) {
            PreparedBatches.closeAll(batches);
            throw e;
        }
    }

    private void copyRow(long[] target, long[] tokens, int row) {
        if (target != null) {
            System.arraycopy(tokens, 0, target, row * sequenceLength, Math.min(tokens.length, sequenceLength));
        }
    }
}
