package dev.verdant.cli.option;

import dev.verdant.cli.config.ConfigKeys;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --config FILE}: every other option of the command read from a YAML file (or from the report of an earlier
 * run), the command line winning over the file. The keys are the command's own options, read from its picocli
 * model ({@link ConfigKeys}); the file is read by {@code ConfigDefaults}, which the command line installs on every
 * command with this mixin. {@link #effective()} is what the command ran with, for its report.
 */
public final class ConfigOptions {

    /** The command this mixin is in, or the mixin that holds it ({@link ModelJobOptions}): see {@link #effective()}. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = ConfigKeys.CONFIG_OPTION, paramLabel = "FILE", description = "Read the other options from this "
            + "YAML file: keys are the long options without --, the model is model, repeatable options take lists "
            + "(see docs/config.md). Or an earlier run's report.json, to repeat that run. The command line wins.")
    Path config;

    /**
     * Every option the command runs with, after its defaults, the config file and the command line, under its
     * config key: a config file that repeats this run. Options with no value (not given, no default) are left out.
     */
    public Map<String, Object> effective() {
        // picocli injects the spec of the mixin that holds this one, when nested; the command line's is the command's
        CommandSpec command = mixee.commandLine().getCommandSpec();
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, ArgSpec> entry : ConfigKeys.of(command).args().entrySet()) {
            Object value = ConfigKeys.value(entry.getValue());
            if (value != null) {
                values.put(entry.getKey(), value);
            }
        }
        return values;
    }
}
