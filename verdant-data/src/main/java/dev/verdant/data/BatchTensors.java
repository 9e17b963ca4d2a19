package dev.verdant.data;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * Turns {@link Batch}es into ONNX Runtime tensors shaped the way a model's input wants them: the same 28x28 images
 * feed a CNN as {@code [B, 1, 28, 28]} and an MLP as {@code [B, 784]}. The values are never changed, only the shape
 * they are viewed with (row-major order is the same for both).
 */
public final class BatchTensors {

    private BatchTensors() {
    }

    /**
     * The concrete shape for {@code batchSize} samples of {@code sampleShape} fed to a model input declared as
     * {@code modelInputShape} (dynamic dimensions as -1 or any negative value, as ONNX Runtime reports them).
     * <ul>
     *   <li>dimension 0 is the batch: dynamic, or fixed and equal to {@code batchSize};</li>
     *   <li>the other dimensions must hold exactly one sample's values: fixed ones are kept; dynamic ones are taken
     *       from {@code sampleShape} when the ranks agree ({@code [-1, 1, -1, -1]} gets {@code [1, 28, 28]}),
     *       otherwise a single dynamic dimension takes whatever the fixed ones leave ({@code [-1, -1]} gets 784).</li>
     * </ul>
     *
     * @throws IllegalArgumentException with one line naming both shapes when the sample cannot fill the input
     */
    public static long[] inputShape(long[] sampleShape, int batchSize, long[] modelInputShape) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, not " + batchSize);
        }
        long sampleSize = Arrays.stream(sampleShape).reduce(1, Math::multiplyExact);
        if (modelInputShape.length == 0) {
            throw new IllegalArgumentException("the model input is a scalar; it cannot take a batch of "
                    + describe(sampleShape) + " samples");
        }
        long batchDim = modelInputShape[0];
        if (batchDim >= 0 && batchDim != batchSize) {
            throw new IllegalArgumentException("the model input " + describe(modelInputShape) + " has a fixed batch size of "
                    + batchDim + ", but the batch holds " + batchSize + " samples (use batch size " + batchDim
                    + " and drop the last partial batch)");
        }
        long[] shape = modelInputShape.clone();
        shape[0] = batchSize;
        int rank = shape.length - 1;
        int dynamic = 0;
        int dynamicAt = -1;
        long fixedProduct = 1;
        for (int i = 1; i < shape.length; i++) {
            if (shape[i] < 0) {
                dynamic++;
                dynamicAt = i;
            } else {
                fixedProduct *= shape[i];
            }
        }
        if (dynamic > 0 && rank == sampleShape.length) {
            for (int i = 1; i < shape.length; i++) {
                if (shape[i] < 0) {
                    shape[i] = sampleShape[i - 1];
                }
            }
        } else if (dynamic == 1 && fixedProduct > 0 && sampleSize % fixedProduct == 0) {
            shape[dynamicAt] = sampleSize / fixedProduct;
        } else if (dynamic > 1) {
            throw new IllegalArgumentException("cannot fit samples of " + describe(sampleShape) + " into the model input "
                    + describe(modelInputShape) + ": more than one dynamic dimension and ranks differ");
        }
        long perSample = 1;
        for (int i = 1; i < shape.length; i++) {
            perSample *= shape[i];
        }
        if (perSample != sampleSize) {
            throw new IllegalArgumentException("the model input " + describe(modelInputShape) + " takes " + perSample
                    + " values per sample, but the data's samples are " + describe(sampleShape) + " (" + sampleSize
                    + " values)");
        }
        return shape;
    }

    /**
     * A float tensor of the batch, shaped by {@link #inputShape} for a model input of {@code modelInputShape}.
     * The caller closes it.
     */
    public static OnnxTensor toTensor(OrtEnvironment env, Batch batch, long[] modelInputShape) throws OrtException {
        long[] shape = inputShape(batch.sampleShape(), batch.size(), modelInputShape);
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(batch.features()), shape);
    }

    /** A float tensor of the batch for the model input {@code input}, which must be a float tensor. */
    public static OnnxTensor toTensor(OrtEnvironment env, Batch batch, NodeInfo input) throws OrtException {
        if (!(input.getInfo() instanceof TensorInfo info)) {
            throw new IllegalArgumentException("model input '" + input.getName() + "' is not a tensor but "
                    + input.getInfo());
        }
        if (info.type != OnnxJavaType.FLOAT) {
            throw new IllegalArgumentException("model input '" + input.getName() + "' takes " + info.onnxType
                    + " values; a data batch is float32");
        }
        try {
            return toTensor(env, batch, info.getShape());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("input '" + input.getName() + "': " + e.getMessage(), e);
        }
    }

    /** A float tensor of the batch for the session's one input; fails naming the inputs when it has several. */
    public static OnnxTensor toTensor(OrtEnvironment env, Batch batch, OrtSession session) throws OrtException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        if (inputs.size() != 1) {
            throw new IllegalArgumentException("the model has " + inputs.size() + " inputs " + inputs.keySet()
                    + "; name the one the data feeds");
        }
        return toTensor(env, batch, inputs.values().iterator().next());
    }

    private static String describe(long[] shape) {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            text.append(i == 0 ? "" : ",").append(shape[i] < 0 ? "?" : Long.toString(shape[i]));
        }
        return text.append(']').toString();
    }
}
