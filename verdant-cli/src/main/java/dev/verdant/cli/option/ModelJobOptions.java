package dev.verdant.cli.option;

import java.util.Map;
import picocli.CommandLine.Mixin;

/**
 * What the commands that run one model as a repeatable job share ({@code compress}, {@code optimize}): the MODEL,
 * {@code --config} (the other options from a YAML file or an earlier report) and the console with {@code --json}.
 * {@link #commandLine()} and {@link #effectiveConfig()} are what the job's report records, so that the run can be
 * repeated from it.
 */
public final class ModelJobOptions {

    @Mixin
    OutputOptions output;

    @Mixin
    ConfigOptions config;

    @Mixin
    ModelOptions model;

    /** The console: stdout, stderr and {@code --json}. */
    public OutputOptions output() {
        return output;
    }

    /** The model the job works on. */
    public ModelOptions model() {
        return model;
    }

    /** The command as the user typed it, starting with {@code verdant}. */
    public String commandLine() {
        return "verdant " + String.join(" ", output.originalArgs());
    }

    /** Every option the job runs with, by config key: a config file that repeats this run. */
    public Map<String, Object> effectiveConfig() {
        return config.effective();
    }
}
