package dev.verdant.data;

import java.util.Arrays;

/**
 * The shape a {@link Batch} takes for a model's input: the same 28x28 images feed a CNN as {@code [B, 1, 28, 28]}
 * and an MLP as {@code [B, 784]}. The values are never changed, only the shape they are viewed with (row-major order
 * is the same for both); verdant-runtime's {@code InputTensors} makes the tensor, and training the DJL array.
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

    private static String describe(long[] shape) {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            text.append(i == 0 ? "" : ",").append(shape[i] < 0 ? "?" : Long.toString(shape[i]));
        }
        return text.append(']').toString();
    }
}
