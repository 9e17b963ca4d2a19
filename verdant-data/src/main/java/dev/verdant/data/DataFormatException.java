package dev.verdant.data;

/**
 * A dataset file, folder or name that cannot be used: missing, truncated, of the wrong format or inconsistent.
 * It is bad input, so it extends {@link IllegalArgumentException}; the message is one line that says what is wrong
 * and, where there is one, how to fix it.
 */
public class DataFormatException extends IllegalArgumentException {
    public DataFormatException(String message) {
        super(message);
    }

    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
