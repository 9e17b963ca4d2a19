package dev.verdant.io;

import java.io.IOException;

/**
 * A line of a CSV file that is not valid CSV (a quote left open, text after a closing quote): the line and the
 * problem, for each format to name its file in the message.
 */
public final class CsvSyntaxException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int line;
    private final String problem;

    /** The problem on {@code line} (from 1), as found by the CSV parser in {@code cause}. */
    public CsvSyntaxException(int line, String problem, Throwable cause) {
        super("line " + line + ": " + problem, cause);
        this.line = line;
        this.problem = problem;
    }

    /** The line, from 1. */
    public int line() {
        return line;
    }

    /** What is wrong with it, without the line. */
    public String problem() {
        return problem;
    }
}
