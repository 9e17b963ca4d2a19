package dev.verdant.train.graph;

import dev.verdant.onnx.NamePattern;
import java.util.List;

/**
 * Chooses which initializers train: a parameter trains when it matches one of the {@code trainable} patterns
 * (or none are given) and none of the {@code frozen} ones. A pattern is a {@link NamePattern}: a glob, or a regular
 * expression prefixed {@code regex:}.
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
        // reads every pattern now, so a bad one fails before any work
        trainable.forEach(NamePattern::of);
        frozen.forEach(NamePattern::of);
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
        boolean selected = trainable.isEmpty() || trainable.stream().anyMatch(p -> NamePattern.of(p).matches(name));
        return selected && frozen.stream().noneMatch(p -> NamePattern.of(p).matches(name));
    }

    private static List<String> concat(List<String> list, String item) {
        return java.util.stream.Stream.concat(list.stream(), java.util.stream.Stream.of(item)).toList();
    }
}
