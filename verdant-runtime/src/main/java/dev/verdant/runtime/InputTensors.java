package dev.verdant.runtime;

import dev.verdant.data.Batch;
import dev.verdant.data.BatchTensors;
import dev.verdant.data.TokenBatch;
import dev.verdant.onnx.DataType;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one way data becomes a model's inputs: a batch of values (images, table rows) shaped for a model's float
 * input, the same values as whole-number ids for an int64 input, and a token batch as the token inputs a text model
 * declares. Every feed, scorer and check of Verdant makes its inputs here.
 */
public final class InputTensors {

    private InputTensors() {
    }

    /**
     * The batch as float values shaped for {@code input} by {@link BatchTensors#inputShape}.
     *
     * @throws IllegalArgumentException naming the input when it is not float32 or cannot hold the samples
     */
    public static InputTensor values(Batch batch, ModelInputs.Input input) {
        if (input.type() != DataType.FLOAT) {
            throw new IllegalArgumentException("model input '" + input.name() + "' takes "
                    + (input.type() == DataType.UNDEFINED ? "non-tensor" : input.type().onnxName())
                    + " values; a data batch is float32");
        }
        try {
            return InputTensor.ofFloats(BatchTensors.inputShape(batch.sampleShape(), batch.size(), input.shape()),
                    batch.features());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("input '" + input.name() + "': " + e.getMessage(), e);
        }
    }

    /** The batch's values as whole-number int64 ids (a model reading token ids as one tensor), in the batch's shape. */
    public static InputTensor ids(Batch batch) {
        float[] features = batch.features();
        long[] ids = new long[features.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (long) features[i];
        }
        return InputTensor.ofLongs(batch.shape(), ids);
    }

    /**
     * The token inputs {@code names} a text model declares, by name, each {@code [size, length]} int64.
     *
     * @throws IllegalArgumentException when a name is not one a token batch fills
     */
    public static Map<String, InputTensor> tokens(TokenBatch batch, Collection<String> names) {
        Map<String, InputTensor> inputs = new LinkedHashMap<>();
        for (String name : names) {
            inputs.put(name, InputTensor.ofLongs(batch.shape(), batch.values(name)));
        }
        return inputs;
    }
}
