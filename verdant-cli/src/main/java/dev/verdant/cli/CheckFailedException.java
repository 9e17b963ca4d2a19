package dev.verdant.cli;

/**
 * Thrown by a command whose job ran but whose result broke a stated tolerance; maps to exit code 1.
 */
public class CheckFailedException extends RuntimeException {
    public CheckFailedException(String message) {
        super(message);
    }
}
