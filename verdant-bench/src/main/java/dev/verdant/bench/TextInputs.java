package dev.verdant.bench;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.verdant.data.TextTokenizer;
import dev.verdant.data.TokenBatch;
import dev.verdant.data.TokenizedTexts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Real sentences for a BERT-style text model: tokenized with the model's own HuggingFace {@code tokenizer.json}
 * ({@link TextTokenizer}), truncated and padded to a fixed sequence length, and fed as the int64 inputs
 * {@code input_ids}, {@code attention_mask} and {@code token_type_ids} (whichever the model declares).
 *
 * @param corpusName     where the sentences come from, for reports
 * @param sentences      the sentences, in the order batches take them
 * @param tokenizerFile  the model's {@code tokenizer.json}
 * @param sequenceLength tokens per sentence after truncation and padding
 */
public record TextInputs(String corpusName, List<String> sentences, Path tokenizerFile, int sequenceLength)
        implements InputFeed {

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
            if (!TokenBatch.INPUT_NAMES.contains(input.getName())) {
                throw new IllegalArgumentException("the model takes input '" + input.getName() + "', which tokenized "
                        + "text cannot fill (text fills " + String.join(", ", TokenBatch.INPUT_NAMES) + ")");
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
        try (TextTokenizer tokenizer = TextTokenizer.load(tokenizerFile, sequenceLength)) {
            TokenizedTexts tokens = tokenizer.tokenize(corpusName, sentences.subList(0, count * batchSize));
            for (TokenBatch batch : tokens.batches(batchSize, tokenizer.fixedPadding())) {
                batches.add(batch.toTensors(environment, inputs.keySet()));
            }
            return new PreparedBatches(batches, batchSize);
        } catch (OrtException | RuntimeException e) {
            PreparedBatches.closeAll(batches);
            throw e;
        }
    }
}
