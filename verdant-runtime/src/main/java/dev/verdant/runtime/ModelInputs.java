package dev.verdant.runtime;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.verdant.data.TokenBatch;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxGraph;
import java.util.ArrayList;
import java.util.List;

/**
 * What a model reads: its inputs with their element types and declared shapes, and the one rule that says whether
 * they are token ids (a text model) or values (features, images). Compress, train, transfer, few-shot, bench and the
 * CLI all ask this record instead of looking at input names themselves.
 *
 * @param inputs the inputs a caller must feed, in the model's order
 */
public record ModelInputs(List<Input> inputs) {

    /** The inputs a BERT-style text encoder reads, in the order its exports declare them. */
    public static final List<String> TOKEN_INPUTS = TokenBatch.INPUT_NAMES;
    /** The token ids input every text model reads. */
    public static final String INPUT_IDS = "input_ids";
    /** The 0/1 padding mask input, which mean pooling also reads. */
    public static final String ATTENTION_MASK = "attention_mask";

    public ModelInputs {
        inputs = List.copyOf(inputs);
    }

    /** The inputs a model declares (initializers left out), read from its graph. */
    public static ModelInputs of(ModelProto model) {
        List<Input> inputs = new ArrayList<>();
        for (ValueInfoProto input : OnnxGraph.of(model).inputs()) {
            List<TensorShapeProto.Dimension> dims = input.getType().getTensorType().getShape().getDimList();
            long[] shape = new long[dims.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = dims.get(i).hasDimValue() ? dims.get(i).getDimValue() : -1;
            }
            inputs.add(new Input(input.getName(), DataType.of(input.getType().getTensorType().getElemType()), shape));
        }
        return new ModelInputs(inputs);
    }

    /** The inputs of an open session, as ONNX Runtime reports them (a non-tensor input has type UNDEFINED). */
    static ModelInputs of(OrtSession session) throws OrtException {
        List<Input> inputs = new ArrayList<>();
        for (NodeInfo input : session.getInputInfo().values()) {
            inputs.add(input.getInfo() instanceof TensorInfo info
                    ? new Input(input.getName(), dataType(info), info.getShape())
                    : new Input(input.getName(), DataType.UNDEFINED, new long[0]));
        }
        return new ModelInputs(inputs);
    }

    /** ONNX Runtime's element type as ONNX's ({@code ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT} is {@code FLOAT}). */
    private static DataType dataType(TensorInfo info) {
        String name = info.onnxType.name().replace("ONNX_TENSOR_ELEMENT_DATA_TYPE_", "");
        for (DataType type : DataType.values()) {
            if (type.name().equals(name)) {
                return type;
            }
        }
        return DataType.UNDEFINED;
    }

    /** The input names, in order. */
    public List<String> names() {
        return inputs.stream().map(Input::name).toList();
    }

    /** The one input of a one-input model. */
    public Input only() {
        if (inputs.size() != 1) {
            throw new IllegalArgumentException("the model has " + inputs.size() + " inputs " + names()
                    + "; name the one the data feeds");
        }
        return inputs.get(0);
    }

    /**
     * Whether the model reads text as token ids: it takes {@code input_ids} and nothing a tokenizer cannot fill
     * (optionally {@code attention_mask} and {@code token_type_ids}). Such a model is fed tokenized texts; any other
     * reads values (images, table rows, embeddings).
     */
    public boolean readsText() {
        List<String> names = names();
        return names.contains(INPUT_IDS) && TOKEN_INPUTS.containsAll(names);
    }

    /**
     * Whether the model reads token batches padded per batch, as an encoder does: a text model that also takes the
     * {@code attention_mask} telling real tokens from padding, every input int64. (A text model with
     * {@code input_ids} alone, as the zoo's transformer, reads fixed-length ids as one tensor.)
     */
    public boolean readsTokenBatches() {
        return readsText() && names().contains(ATTENTION_MASK)
                && inputs.stream().allMatch(i -> i.type() == DataType.INT64);
    }

    /** Whether the model reads one int64 tensor (token ids of a fixed length, as the zoo's transformer does). */
    public boolean readsOneIdTensor() {
        return inputs.size() == 1 && inputs.get(0).type() == DataType.INT64;
    }

    /**
     * One input.
     *
     * @param name  its name in the graph
     * @param type  its element type
     * @param shape its declared dims, -1 where dynamic
     */
    public record Input(String name, DataType type, long[] shape) {
    }
}
