package dev.verdant.onnx;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Real tokenized sentences for the MiniLM tests, and a way to run a model file on them in ONNX Runtime. */
final class MiniLmInputs {

    /** Sentences of plain English (WordNet-style glosses and everyday statements). */
    static final List<String> SENTENCES = List.of(
            "a domestic animal kept for companionship or protection",
            "the act of making something smaller or less in amount",
            "Energy efficiency matters when models run in production every day.",
            "a large body of water surrounded by land",
            "the process of growing plants for food",
            "She walked to the station in the rain and missed the last train.");

    private MiniLmInputs() {
    }

    /** Token ids, attention mask and token types, padded to the longest sentence. */
    static Map<String, long[][]> encode(List<String> sentences) throws IOException {
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(BuiltinModel.MINILM.tokenizerFile())) {
            Encoding[] encodings = tokenizer.batchEncode(sentences);
            int length = 0;
            for (Encoding e : encodings) {
                length = Math.max(length, e.getIds().length);
            }
            long[][] ids = new long[sentences.size()][length];
            long[][] mask = new long[sentences.size()][length];
            long[][] types = new long[sentences.size()][length];
            for (int i = 0; i < encodings.length; i++) {
                System.arraycopy(encodings[i].getIds(), 0, ids[i], 0, encodings[i].getIds().length);
                System.arraycopy(encodings[i].getAttentionMask(), 0, mask[i], 0, encodings[i].getAttentionMask().length);
                System.arraycopy(encodings[i].getTypeIds(), 0, types[i], 0, encodings[i].getTypeIds().length);
            }
            Map<String, long[][]> inputs = new LinkedHashMap<>();
            inputs.put("input_ids", ids);
            inputs.put("attention_mask", mask);
            inputs.put("token_type_ids", types);
            return inputs;
        }
    }

    /** Runs the model file on the inputs and returns every output flattened to floats, in output order. */
    static List<float[]> run(Path model, Map<String, long[][]> inputs) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                OrtSession session = env.createSession(model.toString(), options)) {
            Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
            try {
                for (var entry : inputs.entrySet()) {
                    long[][] values = entry.getValue();
                    LongBuffer buffer = LongBuffer.allocate(values.length * values[0].length);
                    for (long[] row : values) {
                        buffer.put(row);
                    }
                    feeds.put(entry.getKey(), OnnxTensor.createTensor(env, buffer.flip(),
                            new long[] {values.length, values[0].length}));
                }
                List<float[]> outputs = new ArrayList<>();
                try (OrtSession.Result result = session.run(feeds)) {
                    for (Map.Entry<String, OnnxValue> output : result) {
                        OnnxTensor tensor = (OnnxTensor) output.getValue();
                        var floats = tensor.getFloatBuffer();
                        float[] flat = new float[floats.remaining()];
                        floats.get(flat);
                        outputs.add(flat);
                    }
                }
                return outputs;
            } finally {
                feeds.values().forEach(OnnxTensor::close);
            }
        }
    }
}
