package dev.verdant.report;

/**
 * What produced a result: the tool, its command line, when it ran and for how long, and what the models were fed.
 *
 * @param tool            {@code verdant bench}, {@code verdant compress}, ...
 * @param command         the command line, when a command produced it (null otherwise)
 * @param startedAt       ISO-8601 instant the run began, when known
 * @param durationSeconds wall-clock time of the whole run, 0 when unknown
 * @param inputs          what the models were fed, when known
 */
public record RunInfo(String tool, String command, String startedAt, double durationSeconds, String inputs) {

    /** The same run recording the command line that produced it. */
    public RunInfo withCommand(String commandLine) {
        return new RunInfo(tool, commandLine, startedAt, durationSeconds, inputs);
    }
}
