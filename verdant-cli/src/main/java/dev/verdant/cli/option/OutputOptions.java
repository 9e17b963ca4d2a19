package dev.verdant.cli.option;

import dev.verdant.io.Json;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Where a command's output goes: its stdout and stderr (the command line's writers, which tests replace), the
 * arguments as typed, and {@code --json}, which swaps the console text for one JSON object on stdout.
 *
 * <p>{@code --json} reads "Print one JSON object on stdout." unless the command words it otherwise under the key
 * {@code verdant.COMMAND.json} in {@code OptionDescriptions.properties} (picocli's shared resource bundle).
 */
public final class OutputOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--json", descriptionKey = "json", description = "Print one JSON object on stdout.")
    boolean json;

    /** Whether {@code --json} was given. */
    public boolean json() {
        return json;
    }

    /** The command's stdout. */
    public PrintWriter out() {
        return command.commandLine().getOut();
    }

    /** The command's stderr: progress, notes and warnings. */
    public PrintWriter err() {
        return command.commandLine().getErr();
    }

    /** The arguments as the user typed them, for the record a result keeps of its command. */
    public List<String> originalArgs() {
        return command.commandLine().getParseResult().originalArgs();
    }

    /** Prints {@code result} as one JSON object with {@code --json}, else lets {@code text} write it; then flushes. */
    public void print(Object result, Consumer<PrintWriter> text) {
        PrintWriter out = out();
        if (json) {
            out.println(Json.write(result));
        } else {
            text.accept(out);
        }
        out.flush();
    }
}
