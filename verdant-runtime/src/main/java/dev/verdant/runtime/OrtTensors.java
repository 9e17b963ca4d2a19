package dev.verdant.runtime;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;

/**
 * What the runner and the prepared batches both need of ONNX Runtime's tensors and errors: an {@link InputTensor} as
 * an ONNX Runtime tensor, and the first line of an ONNX Runtime message (its stack of native detail is for logs).
 */
final class OrtTensors {

    private OrtTensors() {
    }

    /** An ONNX Runtime tensor of {@code tensor}'s values, which the caller closes. */
    static OnnxTensor tensor(InputTensor tensor) throws OrtException {
        OrtEnvironment environment = OrtNatives.environment();
        if (tensor.floats() != null) {
            return OnnxTensor.createTensor(environment, FloatBuffer.wrap(tensor.floats()), tensor.shape());
        }
        if (tensor.longs() != null) {
            return OnnxTensor.createTensor(environment, LongBuffer.wrap(tensor.longs()), tensor.shape());
        }
        // ONNX Runtime copies a heap buffer into a direct one in native order; the typed views keep the values
        // right on a big-endian machine too
        ByteBuffer bytes = ByteBuffer.wrap(tensor.raw().littleEndian()).order(ByteOrder.LITTLE_ENDIAN);
        long[] shape = tensor.shape();
        return switch (tensor.raw().type()) {
            case DOUBLE -> OnnxTensor.createTensor(environment, copy(bytes.asDoubleBuffer()), shape);
            case INT32 -> OnnxTensor.createTensor(environment, copy(bytes.asIntBuffer()), shape);
            case INT16 -> OnnxTensor.createTensor(environment, copy(bytes.asShortBuffer()), shape);
            case FLOAT16 -> OnnxTensor.createTensor(environment, copy(bytes.asShortBuffer()), shape,
                    OnnxJavaType.FLOAT16);
            case BFLOAT16 -> OnnxTensor.createTensor(environment, copy(bytes.asShortBuffer()), shape,
                    OnnxJavaType.BFLOAT16);
            case INT8 -> OnnxTensor.createTensor(environment, bytes, shape, OnnxJavaType.INT8);
            case UINT8 -> OnnxTensor.createTensor(environment, bytes, shape, OnnxJavaType.UINT8);
            case BOOL -> OnnxTensor.createTensor(environment, bytes, shape, OnnxJavaType.BOOL);
            default -> throw new IllegalArgumentException("no ONNX Runtime tensor of " + tensor.raw().type());
        };
    }

    private static DoubleBuffer copy(DoubleBuffer view) {
        double[] values = new double[view.remaining()];
        view.get(values);
        return DoubleBuffer.wrap(values);
    }

    private static IntBuffer copy(IntBuffer view) {
        int[] values = new int[view.remaining()];
        view.get(values);
        return IntBuffer.wrap(values);
    }

    private static ShortBuffer copy(ShortBuffer view) {
        short[] values = new short[view.remaining()];
        view.get(values);
        return ShortBuffer.wrap(values);
    }

    /** The first line of {@code e}'s message, stripped; "no message" when it has none. */
    static String firstLine(Exception e) {
        String message = e.getMessage();
        return message == null ? "no message" : message.lines().findFirst().orElse("").strip();
    }
}
