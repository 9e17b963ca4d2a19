package dev.verdant.cli.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.text.similarity.LevenshteinDistance;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The keys a config file of one command may hold, read from the command's picocli model and never from a list kept
 * by hand: every option under its longest name without the leading dashes ({@code --max-accuracy-drop} is
 * {@code max-accuracy-drop}), every positional parameter under its label in lower case ({@code MODEL} is
 * {@code model}). Left out: {@code --help}, {@code --version}, the root's inherited options ({@code --verbose}) and
 * {@code --config} itself. An option a mixin adds to the command is a key the moment it is declared.
 *
 * @param command the command's name ({@code optimize})
 * @param args    each key with the option or positional parameter it sets, in the command's declaration order
 */
public record ConfigKeys(String command, Map<String, ArgSpec> args) {

    /** The option that names the config file. */
    public static final String CONFIG_OPTION = "--config";

    public ConfigKeys {
        args = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(args));
    }

    /** The keys of {@code spec}'s options and positional parameters. */
    public static ConfigKeys of(CommandSpec spec) {
        Map<String, ArgSpec> args = new LinkedHashMap<>();
        for (PositionalParamSpec positional : spec.positionalParameters()) {
            args.put(keyOf(positional), positional);
        }
        for (OptionSpec option : spec.options()) {
            if (option.usageHelp() || option.versionHelp() || option.inherited()
                    || List.of(option.names()).contains(CONFIG_OPTION)) {
                continue;
            }
            args.put(keyOf(option), option);
        }
        return new ConfigKeys(spec.name(), args);
    }

    /** Whether {@code spec} takes a config file: it has the {@value #CONFIG_OPTION} option. */
    public static boolean takesConfig(CommandSpec spec) {
        return spec.findOption(CONFIG_OPTION) != null;
    }

    /** The key of an option or positional parameter. */
    public static String keyOf(ArgSpec arg) {
        if (arg instanceof OptionSpec option) {
            return option.longestName().replaceFirst("^-+", "");
        }
        return arg.paramLabel().replaceAll("[<>\\[\\].]", "").toLowerCase(Locale.ROOT);
    }

    /** The option or positional parameter of {@code key}, if it is one of this command's keys. */
    public Optional<ArgSpec> arg(String key) {
        return Optional.ofNullable(args.get(key));
    }

    /** The keys, in the command's declaration order. */
    public Collection<String> keys() {
        return args.keySet();
    }

    /** The valid key nearest to {@code unknown} by edit distance (ties: the earlier declared). */
    public String nearest(String unknown) {
        LevenshteinDistance distance = LevenshteinDistance.getDefaultInstance();
        String lower = unknown.toLowerCase(Locale.ROOT).replace('_', '-');
        return args.keySet().stream().min(Comparator.comparingInt((String key) -> distance.apply(lower, key)))
                .orElseThrow();
    }

    /** The value {@code arg} holds now, as a config file holds it (see {@link ConfigValues#render}). */
    public static Object value(ArgSpec arg) {
        return ConfigValues.render(arg.getValue());
    }

    /**
     * The option as a user types it, for messages: {@code --batch N}, or the positional's label ({@code MODEL}).
     */
    public static String usage(ArgSpec arg) {
        if (arg instanceof OptionSpec option) {
            return option.longestName() + (option.arity().max() > 0 ? " " + option.paramLabel() : "");
        }
        return arg.paramLabel();
    }
}
