package dev.verdant.cli;

import dev.verdant.cli.command.BenchCommand;
import dev.verdant.cli.command.CompressCommand;
import dev.verdant.cli.command.DataCommand;
import dev.verdant.cli.command.DemoCommand;
import dev.verdant.cli.command.EnsembleCommand;
import dev.verdant.cli.command.EvaluateCommand;
import dev.verdant.cli.command.EstimateCommand;
import dev.verdant.cli.command.FewshotCommand;
import dev.verdant.cli.command.InitCommand;
import dev.verdant.cli.command.InspectCommand;
import dev.verdant.cli.command.OpsCommand;
import dev.verdant.cli.command.OptimizeCommand;
import dev.verdant.cli.command.PackCommand;
import dev.verdant.cli.command.ReportCommand;
import dev.verdant.cli.command.RunCommand;
import dev.verdant.cli.command.ScheduleCommand;
import dev.verdant.cli.command.TrackCommand;
import dev.verdant.cli.command.TrainCommand;
import dev.verdant.cli.command.TransferCommand;
import dev.verdant.cli.command.UnpackCommand;
import dev.verdant.cli.config.ConfigDefaults;
import dev.verdant.cli.config.ConfigException;
import dev.verdant.io.InputFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * Builds the {@code verdant} command line with its subcommands, error handling and exit codes; tests drive
 * it with their own writers.
 */
public final class Cli {

    private Cli() {
    }

    /** The subcommands, in the order {@code --help} lists them. */
    static List<Object> subcommands() {
        List<Object> commands = new ArrayList<>();
        // the main job
        commands.add(new DemoCommand());
        commands.add(new InspectCommand());
        commands.add(new DataCommand());
        commands.add(new InitCommand());
        // shrink
        commands.add(new CompressCommand());
        commands.add(new OptimizeCommand());
        commands.add(new PackCommand());
        commands.add(new UnpackCommand());
        commands.add(new EnsembleCommand());
        // train smart
        commands.add(new TrainCommand());
        commands.add(new TransferCommand());
        commands.add(new FewshotCommand());
        commands.add(new OpsCommand());
        // measure
        commands.add(new BenchCommand());
        commands.add(new EvaluateCommand());
        commands.add(new ReportCommand());
        commands.add(new TrackCommand());
        commands.add(new EstimateCommand());
        // run green
        commands.add(new ScheduleCommand());
        commands.add(new RunCommand());
        return commands;
    }

    /** A command line that prints to the given writers. */
    public static CommandLine create(PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new VerdantCommand());
        for (Object subcommand : subcommands()) {
            commandLine.addSubcommand(subcommand);
        }
        // every subcommand's --version (from mixinStandardHelpOptions) says what the root's does
        commandLine.getSubcommands().values()
                .forEach(sub -> sub.getCommandSpec().versionProvider(new VersionProvider()));
        WholeWordHelp.install(commandLine);
        // --config FILE: the file's values are the defaults of the commands that take one; lists are set once parsed
        ConfigDefaults.install(commandLine.getCommandSpec());
        commandLine.setExecutionStrategy(parsed -> {
            ConfigDefaults.apply(parsed);
            return new CommandLine.RunLast().execute(parsed);
        });
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler(Cli::handleExecutionException);
        commandLine.setParameterExceptionHandler(Cli::handleParameterException);
        return commandLine;
    }

    /** Runs one invocation and returns its exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        try {
            return create(out, err).execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static int handleParameterException(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("verdant: " + e.getMessage());
        if (e.getCause() instanceof ConfigException) {
            return ExitCode.BAD_INPUT;   // the one line names the file and the key; the options' help would not help
        }
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
            err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        }
        return ExitCode.BAD_INPUT;
    }

    private static int handleExecutionException(Exception e, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        int code = exitCodeOf(e);
        String message = oneLine(e);
        err.println("verdant: " + (code == ExitCode.CHECK_FAILED || code == ExitCode.BAD_INPUT ? "" : "internal error: ") + message);
        if (isVerbose(parseResult)) {
            e.printStackTrace(err);
        } else if (code != ExitCode.BAD_INPUT && code != ExitCode.CHECK_FAILED) {
            err.println("(run again with --verbose for the stack trace)");
        }
        err.flush();
        return code;
    }

    /** Bad input (a file, a value) maps to 2; a broken tolerance to 1; anything else is a bug, reported as 1. */
    static int exitCodeOf(Throwable e) {
        if (e instanceof CheckFailedException) {
            return ExitCode.CHECK_FAILED;
        }
        if (e instanceof IllegalArgumentException || e instanceof IOException || e instanceof UncheckedIOException) {
            return ExitCode.BAD_INPUT;
        }
        return ExitCode.CHECK_FAILED;
    }

    /** The exception's message on one line, falling back to its type and cause where it has none. */
    static String oneLine(Throwable e) {
        String message = e.getMessage();
        if (e instanceof UncheckedIOException && e.getCause() != null
                && (message == null || message.equals(e.getCause().toString()))) {
            // a bare wrapper: its own message is only the cause's type and text; one built with a message keeps it
            return oneLine(e.getCause());
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            message = InputFiles.noSuchFile(String.valueOf(e.getMessage()));
        } else if (e instanceof java.nio.file.AccessDeniedException) {
            message = "permission denied: " + e.getMessage();
        }
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName() + (e.getCause() != null ? ": " + oneLine(e.getCause()) : "");
        }
        return message.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    private static boolean isVerbose(ParseResult parseResult) {
        for (ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
            if (pr.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
