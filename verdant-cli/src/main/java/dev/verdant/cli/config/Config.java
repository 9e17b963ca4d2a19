package dev.verdant.cli.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A config file read and checked against one command's keys: each key it sets, with the strings it gave and the
 * value picocli's converter made of them.
 *
 * @param file   where it was read from
 * @param values each key the file sets, in the file's order
 */
public record Config(Path file, Map<String, Value> values) {

    public Config {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * What one key sets.
     *
     * @param strings the value as text, one string per element of a list ({@code true}/{@code false} for a flag)
     * @param typed   the value converted to the option's Java type, as the command line would convert it
     */
    public record Value(List<String> strings, Object typed) {
        public Value {
            strings = List.copyOf(strings);
        }
    }
}
