package dev.verdant.onnx;

/**
 * A file or name that is not a usable ONNX model: missing, empty, truncated, not ONNX, or out of scope.
 * It is bad input, so it extends {@link IllegalArgumentException}; the message is one line that says what is wrong.
 */
public class ModelFormatException extends IllegalArgumentException {
    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
