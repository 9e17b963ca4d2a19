package dev.verdant.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One run of the {@code verdant} command line in-process, with what it printed.
 *
 * @param exitCode the process exit code it would have returned
 * @param out      what it wrote to stdout
 * @param err      what it wrote to stderr
 */
public record CliRun(int exitCode, String out, String err) {

    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.run(new PrintWriter(out), new PrintWriter(err), args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
