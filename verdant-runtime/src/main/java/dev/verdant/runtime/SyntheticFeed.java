package dev.verdant.runtime;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.verdant.onnx.DataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.Locale;
import java.util.Random;

/**
 * Generated inputs shaped from the model's declared inputs, for when no dataset is given: the first dynamic axis is
 * the batch, every other dynamic axis is {@code dynamicDim}; floats are uniform in [0, 1), ids uniform in
 * [0, {@value #MAX_TOKEN_ID}), masks all ones and token types all zeros. Timing on these says nothing about accuracy,
 * and data-dependent work (early exits, sparse kernels) may run differently than on real inputs.
 *
 * @param dynamicDim the size given to dynamic axes other than the batch (a sequence length, an image side)
 * @param seed       fixes the generated values
 */
public record SyntheticFeed(int dynamicDim, long seed) implements Feed {

    /** Generated token ids stay below this, inside the vocabulary of any real text model. */
    public static final int MAX_TOKEN_ID = 1000;

    public SyntheticFeed {
        if (dynamicDim <= 0) {
            throw new IllegalArgumentException("the dynamic dimension must be positive, got " + dynamicDim);
        }
    }

    @Override
    public String kind() {
        return "synthetic";
    }

    @Override
    public String description() {
        return "synthetic inputs shaped from the model's declared inputs (dynamic axes after the batch = " + dynamicDim
                + "); no --data given";
    }

    @Override
    public PreparedBatches prepare(OrtRunner runner, int batchSize) {
        OrtEnvironment environment = OrtNatives.environment();
        Random random = new Random(seed + batchSize);
        return PreparedBatches.make(2, batchSize, (i, feeds) -> {
            for (ModelInputs.Input input : runner.inputs().inputs()) {
                feeds.put(input.name(), tensor(environment, input, batchSize, random));
            }
        });
    }

    /** The concrete shape of a declared input for {@code batchSize} samples. */
    long[] shapeOf(String name, long[] declared, int batchSize) {
        long[] shape = declared.clone();
        for (int axis = 0; axis < shape.length; axis++) {
            if (axis == 0 && shape[0] > 0 && shape[0] != batchSize) {
                throw new IllegalArgumentException("input '" + name + "' has a fixed batch of " + shape[0]
                        + "; use --batch " + shape[0]);
            }
            if (shape[axis] <= 0) {
                shape[axis] = axis == 0 ? batchSize : dynamicDim;
            }
        }
        return shape;
    }

    private OnnxTensor tensor(OrtEnvironment environment, ModelInputs.Input input, int batchSize, Random random)
            throws OrtException {
        if (input.type() == DataType.UNDEFINED) {
            throw new IllegalArgumentException("input '" + input.name() + "' is not a tensor; synthetic inputs "
                    + "cover tensor inputs only");
        }
        long[] shape = shapeOf(input.name(), input.shape(), batchSize);
        long elements = 1;
        for (long d : shape) {
            elements = Math.multiplyExact(elements, d);
        }
        int n = Math.toIntExact(elements);
        String name = input.name().toLowerCase(Locale.ROOT);
        return switch (input.type()) {
            case FLOAT -> {
                float[] values = new float[n];
                for (int i = 0; i < n; i++) {
                    values[i] = random.nextFloat();
                }
                yield OnnxTensor.createTensor(environment, FloatBuffer.wrap(values), shape);
            }
            case INT64 -> {
                long[] values = new long[n];
                for (int i = 0; i < n; i++) {
                    values[i] = integerValue(name, random);
                }
                yield OnnxTensor.createTensor(environment, LongBuffer.wrap(values), shape);
            }
            case INT32 -> {
                int[] values = new int[n];
                for (int i = 0; i < n; i++) {
                    values[i] = (int) integerValue(name, random);
                }
                yield OnnxTensor.createTensor(environment, IntBuffer.wrap(values), shape);
            }
            case BOOL -> {
                ByteBuffer values = ByteBuffer.allocateDirect(n).order(ByteOrder.nativeOrder());
                for (int i = 0; i < n; i++) {
                    values.put((byte) 1);
                }
                yield OnnxTensor.createTensor(environment, values.flip(), shape, OnnxJavaType.BOOL);
            }
            default -> throw new IllegalArgumentException("input '" + input.name() + "' takes "
                    + input.type().onnxName()
                    + " values, which synthetic inputs do not generate (float, int64, int32 and bool are supported)");
        };
    }

    /** Masks are all ones and token types all zeros, as for one unpadded sentence; anything else is an id. */
    private static long integerValue(String name, Random random) {
        if (name.contains("mask")) {
            return 1;
        }
        if (name.contains("type")) {
            return 0;
        }
        return random.nextInt(MAX_TOKEN_ID);
    }
}
