package dev.verdant.cli.config;

import java.io.File;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;

/**
 * Option values between a config file and a command: the strings of a key converted to the option's Java type by
 * picocli's own converters (so a value in a file means exactly what it means on the command line), and a value
 * the command ran with turned back into what a config file holds (numbers, booleans, strings, lists, mappings).
 */
final class ConfigValues {

    private ConfigValues() {
    }

    /** Whether the option is a flag: it takes no value, and a config gives it {@code true} or {@code false}. */
    static boolean isFlag(ArgSpec arg) {
        return arg.isOption() && arg.arity().max() == 0;
    }

    /**
     * {@code strings} as the typed value of {@code arg}, converted as picocli converts them on a command line: an
     * option of a throwaway command, a copy of {@code arg} bound to its own holder, parses them.
     *
     * @throws ParameterException with picocli's message for a value its converter refuses
     */
    static Object convert(ArgSpec arg, List<String> strings) {
        if (isFlag(arg)) {
            return Boolean.valueOf(strings.getFirst());
        }
        if (strings.isEmpty()) {
            // an empty list in the file: the option repeated no times, which picocli cannot be asked to parse
            return Map.class.isAssignableFrom(arg.type()) ? new LinkedHashMap<>() : new ArrayList<>();
        }
        Holder holder = new Holder();
        CommandSpec scratch = CommandSpec.create();
        List<String> argv = new ArrayList<>();
        if (arg instanceof OptionSpec option) {
            scratch.addOption(OptionSpec.builder(option).required(false).setter(holder).getter(holder).build());
            // NAME=VALUE keeps a value that starts with a dash (-1) from being read as an option
            strings.forEach(value -> argv.add(option.longestName() + "=" + value));
        } else {
            PositionalParamSpec positional = (PositionalParamSpec) arg;
            scratch.addPositional(PositionalParamSpec.builder(positional).index("0" + (arg.isMultiValue() ? "..*" : ""))
                    .required(false).setter(holder).getter(holder).build());
            argv.add("--");
            argv.addAll(strings);
        }
        // a value is a value: @name is no argument file here, as it would not be inside a YAML file either
        scratch.parser().expandAtFiles(false);
        new CommandLine(scratch).parseArgs(argv.toArray(String[]::new));
        return holder.value;
    }

    /** The message of a converter's refusal without picocli's "Invalid value for option '--x': " prefix. */
    static String reason(ParameterException e) {
        String message = e.getMessage() == null ? "not a valid value" : e.getMessage();
        return message.replaceFirst("^Invalid value for (option|positional parameter) '[^']*'( \\([^)]*\\))?: ", "");
    }

    /**
     * A value a command ran with as a config file holds it: numbers and booleans as they are, lists and mappings
     * element by element, enums by name, anything else (a path, a string) as its text; null stays null.
     */
    static Object render(Object value) {
        if (value == null || value instanceof Number || value instanceof Boolean || value instanceof String) {
            return value;
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        if (value instanceof Path || value instanceof File) {
            return value.toString();
        }
        if (value instanceof Collection<?> values) {
            return values.stream().map(ConfigValues::render).toList();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> rendered = new LinkedHashMap<>();
            map.forEach((k, v) -> rendered.put(String.valueOf(k), render(v)));
            return rendered;
        }
        if (value.getClass().isArray()) {
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                items.add(render(Array.get(value, i)));
            }
            return items;
        }
        return value.toString();
    }

    /** Where the throwaway option stores what it parsed. */
    private static final class Holder implements IGetter, ISetter {
        private Object value;

        @Override
        @SuppressWarnings("unchecked")
        public <T> T get() {
            return (T) value;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T set(T newValue) {
            Object old = value;
            value = newValue;
            return (T) old;
        }
    }
}
