package dev.verdant.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;

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
        return tensor.floats() != null
                ? OnnxTensor.createTensor(environment, FloatBuffer.wrap(tensor.floats()), tensor.shape())
                : OnnxTensor.createTensor(environment, LongBuffer.wrap(tensor.longs()), tensor.shape());
    }

    /** The first line of {@code e}'s message, stripped; "no message" when it has none. */
    static String firstLine(Exception e) {
        String message = e.getMessage();
        return message == null ? "no message" : message.lines().findFirst().orElse("").strip();
    }
}
