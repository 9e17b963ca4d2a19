package dev.verdant.io;

import java.io.IOException;

/**
 * A line of a CSV file that is not valid CSV (a quote left open, text after a closing quote): the message says what
 * is wrong, {@link #line()} where, for each format to name its file in its own words.
 */
public final class CsvSyntaxException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int line;

    /** {@code problem} (the message) on {@code line}, from 1, as the CSV parser in {@code cause} found it. */
    public CsvSyntaxException(int line, String problem, Throwable cause) {
        super(problem, cause);
        this.line = line;
    }

    /** The line, from 1. */
    public int line() {
        return line;
    }
}
