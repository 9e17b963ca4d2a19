package dev.verdant.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The root {@code verdant} command: holds the options every subcommand shares and lists the subcommands.
 */
@Command(
        name = "verdant",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        resourceBundle = "dev.verdant.cli.option.OptionDescriptions",
        description = "The Green AI toolkit for the JVM: measure, shrink, train smart and run green.",
        synopsisSubcommandLabel = "COMMAND",
        footer = {"", "Exit codes: 0 ok, 1 the job failed its own check, 2 bad input or usage."})
public final class VerdantCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-v", "--verbose"},
            scope = ScopeType.INHERIT,
            description = "Print details of the work and, on error, the stack trace.")
    boolean verbose;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is required; see 'verdant --help'");
    }
}
