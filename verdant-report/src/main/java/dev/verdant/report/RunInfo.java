package dev.verdant.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What produced a result: the tool, its command line and the options it ran with, when it ran and for how long, and
 * what the models were fed.
 *
 * @param tool            {@code verdant bench}, {@code verdant compress}, ...
 * @param command         the command line, when a command produced it (null otherwise)
 * @param startedAt       ISO-8601 instant the run began, when known
 * @param durationSeconds wall-clock time of the whole run, 0 when unknown
 * @param inputs          what the models were fed, when known
 * @param config          every option the command ran with, after its defaults, a {@code --config} file and the
 *                        command line, under its config key ({@code max-accuracy-drop}, {@code model}): numbers,
 *                        booleans, strings and lists, in the command's order; what {@code --config} reads back to
 *                        repeat the run. Empty when the command does not record it (left out of the JSON then)
 */
public record RunInfo(String tool, String command, String startedAt, double durationSeconds, String inputs,
                      @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Object> config) {

    public RunInfo {
        config = config == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(config));
    }

    /** A run that records no config. */
    public RunInfo(String tool, String command, String startedAt, double durationSeconds, String inputs) {
        this(tool, command, startedAt, durationSeconds, inputs, Map.of());
    }

    /** The same run recording the command line that produced it. */
    public RunInfo withCommand(String commandLine) {
        return new RunInfo(tool, commandLine, startedAt, durationSeconds, inputs, config);
    }

    /** The same run recording the options it ran with. */
    public RunInfo withConfig(Map<String, Object> options) {
        return new RunInfo(tool, command, startedAt, durationSeconds, inputs, options);
    }
}
