package dev.verdant.train.graph;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Chooses which initializers train: a parameter trains when it matches one of the {@code trainable} patterns
 * (or none are given) and none of the {@code frozen} ones. A pattern is a glob ({@code *} any run of characters,
 * {@code ?} one character), or a regular expression when prefixed {@code regex:}; {@code glob:} is accepted too.
 *
 * @param trainable patterns of parameters to train; empty means all
 * @param frozen    patterns of parameters to keep fixed
 */
public record ParameterSelector(List<String> trainable, List<String> frozen) {

    /** Every floating-point initializer trains. */
    public static final ParameterSelector ALL = new ParameterSelector(List.of(), List.of());

    public ParameterSelector {
        trainable = List.copyOf(trainable);
        frozen = List.copyOf(frozen);
        trainable.forEach(ParameterSelector::compile);
        frozen.forEach(ParameterSelector::compile);
    }

    /** This selector with one more pattern of parameters to keep fixed. */
    public ParameterSelector freeze(String pattern) {
        return new ParameterSelector(trainable, concat(frozen, pattern));
    }

    /** This selector restricted to parameters that also match {@code pattern} (patterns add up). */
    public ParameterSelector train(String pattern) {
        return new ParameterSelector(concat(trainable, pattern), frozen);
    }

    public boolean isTrainable(String name) {
        boolean selected = trainable.isEmpty() || trainable.stream().anyMatch(p -> compile(p).matcher(name).matches());
        return selected && frozen.stream().noneMatch(p -> compile(p).matcher(name).matches());
    }

    private static List<String> concat(List<String> list, String item) {
        return java.util.stream.Stream.concat(list.stream(), java.util.stream.Stream.of(item)).toList();
    }

    /** A pattern as a regular expression; an invalid one is an {@link IllegalArgumentException}. */
    static Pattern compile(String pattern) {
        if (pattern.startsWith("regex:")) {
            try {
                return Pattern.compile(pattern.substring("regex:".length()));
            } catch (java.util.regex.PatternSyntaxException e) {
                throw new IllegalArgumentException("invalid parameter pattern '" + pattern + "': "
                        + e.getDescription(), e);
            }
        }
        String glob = pattern.startsWith("glob:") ? pattern.substring("glob:".length()) : pattern;
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
