package dev.verdant.cli;

/**
 * The process exit codes of every {@code verdant} command, in one place so scripts can rely on them.
 */
public final class ExitCode {
    /** The command did what was asked and every check it made passed. */
    public static final int OK = 0;
    /** The command ran but its result failed its own check (a tolerance, a fidelity bound). */
    public static final int CHECK_FAILED = 1;
    /** Bad input or usage: a missing or malformed file, an unknown option, a value out of range. */
    public static final int BAD_INPUT = 2;

    private ExitCode() {
    }
}
