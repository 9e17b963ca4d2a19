package dev.verdant.cli.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * A command's {@code --config} file as picocli's default values: picocli asks it only for the options and
 * positional parameters the command line did not give, so the command line wins over the file and the file over
 * the command's own defaults. A one-value option takes the file's text, converted by picocli as if typed; a list
 * (a repeatable option, which picocli's defaults can give only one value) is set whole by {@link #apply} once the
 * command line is parsed. Whatever is wrong with the file stops the parse with its one line.
 */
public final class ConfigDefaults implements IDefaultValueProvider {

    private final CommandSpec spec;
    private Config config;
    private final Map<ArgSpec, Object> lists = new LinkedHashMap<>();

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

    /** Sets the lists the config file gave on every parsed command that reads one; call before executing it. */
    public static void apply(ParseResult parsed) {
        for (ParseResult result = parsed; result != null; result = result.subcommand()) {
            if (result.commandSpec().defaultValueProvider() instanceof ConfigDefaults defaults) {
                // picocli also asks the provider while it checks which options are required, before it knows which
                // the command line gives: a list the command line gave is kept
                ParseResult matched = result;
                defaults.lists.forEach((arg, value) -> {
                    if (!matched.matchedArgs().contains(arg)) {
                        arg.setValue(value);
                    }
                });
                defaults.lists.clear();
                defaults.config = null;
            }
        }
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        Object file = spec.findOption(ConfigKeys.CONFIG_OPTION).getValue();
        if (!(file instanceof Path path)) {
            return null;
        }
        ConfigKeys keys = ConfigKeys.of(spec);
        String key = keys.args().entrySet().stream().filter(e -> e.getValue() == arg).map(Map.Entry::getKey)
                .findFirst().orElse(null);
        if (key == null) {
            return null;
        }
        Config.Value value = config(path, keys).values().get(key);
        if (value == null) {
            return null;
        }
        if (arg.isMultiValue()) {
            lists.put(arg, value.typed());
            // its first value now, so that a required list counts as given; apply() sets the whole list
            return value.strings().isEmpty() ? null : value.strings().getFirst();
        }
        return value.strings().getFirst();
    }

    private Config config(Path path, ConfigKeys keys) {
        if (config == null || !config.file().equals(path)) {
            try {
                config = ConfigFile.read(path, keys);
            } catch (ConfigException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage(), e, null, path.toString());
            }
        }
        return config;
    }
}
