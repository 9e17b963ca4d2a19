package dev.verdant.cli.config;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * A command's {@code --config} file as picocli's default values: picocli asks it only for the options and
 * positional parameters the command line did not give, so the command line wins over the file and the file over
 * the command's own defaults. It answers with the file's text, which picocli converts as if typed (and which makes a
 * required option given by the file count as given); once the command line is parsed, {@link #apply} sets every
 * option the file gives and the command line did not to the file's whole value, because a default can carry one
 * value only (a repeatable option's list) and picocli gives none to an option inside an argument group. Whatever is
 * wrong with the file stops the parse with its one line.
 */
public final class ConfigDefaults implements IDefaultValueProvider {

    private final CommandSpec spec;
    private Config config;

    /** The defaults of {@code spec}, read from the file its {@value ConfigKeys#CONFIG_OPTION} option names. */
    public ConfigDefaults(CommandSpec spec) {
        this.spec = spec;
    }

    /** Installs a provider on every command of {@code spec}'s tree that takes {@value ConfigKeys#CONFIG_OPTION}. */
    public static void install(CommandSpec spec) {
        if (ConfigKeys.takesConfig(spec)) {
            spec.defaultValueProvider(new ConfigDefaults(spec));
        }
        spec.subcommands().values().forEach(sub -> install(sub.getCommandSpec()));
    }

    /**
     * Sets, on every parsed command that reads a config file, each option the file gives and the command line did
     * not to the file's value; call before executing the command.
     *
     * @throws ParameterException with the file's one line when it cannot be used
     */
    public static void apply(ParseResult parsed) {
        for (ParseResult result = parsed; result != null; result = result.subcommand()) {
            if (result.commandSpec().defaultValueProvider() instanceof ConfigDefaults defaults) {
                defaults.setUnmatched(result);
            }
        }
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        Config read = config();
        if (read == null) {
            return null;
        }
        String key = ConfigKeys.of(spec).args().entrySet().stream().filter(e -> e.getValue() == arg)
                .map(Map.Entry::getKey).findFirst().orElse(null);
        Config.Value value = key == null ? null : read.values().get(key);
        return value == null || value.strings().isEmpty() ? null : value.strings().getFirst();
    }

    private void setUnmatched(ParseResult result) {
        Config read = config();
        if (read == null) {
            return;
        }
        Map<String, ArgSpec> args = ConfigKeys.of(spec).args();
        // picocli also asks for defaults while it checks which options are required, before it knows which the
        // command line gives: only what the command line did not give is set
        read.values().forEach((key, value) -> {
            ArgSpec arg = args.get(key);
            if (!result.matchedArgs().contains(arg)) {
                arg.setValue(value.typed());
            }
        });
        config = null;   // a command line parsed again reads the file again
    }

    /** The file {@value ConfigKeys#CONFIG_OPTION} names, read once per parse; null when it names none. */
    private Config config() {
        if (!(spec.findOption(ConfigKeys.CONFIG_OPTION).getValue() instanceof Path path)) {
            return null;
        }
        if (config == null || !config.file().equals(path)) {
            try {
                config = ConfigFile.read(path, ConfigKeys.of(spec));
            } catch (ConfigException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage(), e, null, path.toString());
            }
        }
        return config;
    }
}
