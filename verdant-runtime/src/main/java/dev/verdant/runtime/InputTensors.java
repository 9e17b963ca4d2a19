package dev.verdant.runtime;

import dev.verdant.data.Batch;
import dev.verdant.data.BatchTensors;
import dev.verdant.data.TokenBatch;
import dev.verdant.onnx.DataType;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
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

    /**
     * The examples {@code parts} of one input stacked into one batch along the first axis: each part holds one
     * example ({@code [1, ...]}) of the same shape and element type, and the batch is {@code [parts, ...]}. Parts
     * without a batch axis (a scalar such as a sample rate) must be equal and are passed once.
     *
     * @throws IllegalArgumentException naming the input when the parts differ in shape or type, or hold a batch
     *                                  of more than one example each
     */
    public static InputTensor stack(String name, List<InputTensor> parts) {
        InputTensor first = parts.get(0);
        if (parts.size() == 1) {
            return first;
        }
        if (!stackable(parts)) {
            InputTensor other = parts.stream().filter(p -> !Arrays.equals(p.shape(), first.shape())
                    || p.type() != first.type()).findFirst().orElse(null);
            throw new IllegalArgumentException("input '" + name + "' " + (other != null ? "has examples of "
                    + describe(first) + " and " + describe(other) + ", which do not stack into one batch"
                    : first.shape().length == 0 ? "is a scalar that differs from example to example"
                    : "holds " + first.shape()[0] + " examples in each file (" + describe(first) + ")")
                    + "; use --batch 1");
        }
        long[] shape = first.shape();
        if (shape.length == 0) {
            return first;
        }
        long[] stacked = shape.clone();
        stacked[0] = parts.size();
        if (first.floats() != null) {
            float[] values = new float[Math.toIntExact(first.floats().length * (long) parts.size())];
            for (int i = 0; i < parts.size(); i++) {
                System.arraycopy(parts.get(i).floats(), 0, values, i * first.floats().length, first.floats().length);
            }
            return InputTensor.ofFloats(stacked, values);
        }
        if (first.longs() != null) {
            long[] values = new long[Math.toIntExact(first.longs().length * (long) parts.size())];
            for (int i = 0; i < parts.size(); i++) {
                System.arraycopy(parts.get(i).longs(), 0, values, i * first.longs().length, first.longs().length);
            }
            return InputTensor.ofLongs(stacked, values);
        }
        int each = first.raw().littleEndian().length;
        byte[] bytes = new byte[Math.toIntExact(each * (long) parts.size())];
        for (int i = 0; i < parts.size(); i++) {
            System.arraycopy(parts.get(i).raw().littleEndian(), 0, bytes, i * each, each);
        }
        return InputTensor.ofLittleEndian(stacked, first.type(), bytes);
    }

    /**
     * Whether {@link #stack} can batch {@code parts}: one example each ({@code [1, ...]}) of one shape and type, or
     * equal scalars.
     */
    public static boolean stackable(List<InputTensor> parts) {
        InputTensor first = parts.get(0);
        for (InputTensor part : parts) {
            if (!Arrays.equals(part.shape(), first.shape()) || part.type() != first.type()
                    || first.shape().length == 0 && !sameValues(part, first)) {
                return false;
            }
        }
        return parts.size() == 1 || first.shape().length == 0 || first.shape()[0] == 1;
    }

    /** A tensor's type and shape as messages show them: {@code float [1, 3, 224, 224]}. */
    public static String describe(InputTensor tensor) {
        return tensor.type().onnxName() + " " + Arrays.toString(tensor.shape());
    }

    private static boolean sameValues(InputTensor a, InputTensor b) {
        return Arrays.equals(a.floats(), b.floats()) && Arrays.equals(a.longs(), b.longs())
                && (a.raw() == null ? b.raw() == null
                        : b.raw() != null && Arrays.equals(a.raw().littleEndian(), b.raw().littleEndian()));
    }
}
