package dev.verdant.cli.option;

import dev.verdant.runtime.inspect.InputShapes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --shape NAME=DIMS}: the concrete shape of a model input for the commands that size a model the way
 * {@code inspect} does ({@code inspect}, {@code init}), where a dynamic dimension's default (1 for the batch, 128
 * for the rest) does not fit the model.
 */
public final class ShapeOptions {

    @Option(names = "--shape", paramLabel = "NAME=DIMS",
            description = "Concrete shape of an input, e.g. input_ids=1x128 (repeatable). Symbolic dims it binds "
                    + "apply to the other inputs; open dims default to 1 (batch) and 128.")
    List<String> shapes = List.of();

    /**
     * The shapes given, by input name.
     *
     * @throws IllegalArgumentException with one line for a malformed value or an input named twice
     */
    public Map<String, long[]> shapes() {
        Map<String, long[]> given = new LinkedHashMap<>();
        for (String s : shapes) {
            Map.Entry<String, long[]> entry = InputShapes.parseSpec(s);
            if (given.put(entry.getKey(), entry.getValue()) != null) {
                throw new IllegalArgumentException("--shape names input '" + entry.getKey() + "' twice");
            }
        }
        return given;
    }
}
