package dev.verdant.compress.quantize;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.verdant.onnx.NamePattern;
import java.util.List;

/**
 * Which nodes stay in float ({@code --keep-float}): patterns matched against a node's name and each of its output
 * names, {@link NamePattern}s as the trainer's {@code --freeze} reads them (a glob with {@code *} and {@code ?}, or
 * {@code regex:...}), for example {@code /encoder/layer.5/output/*}.
 *
 * @param patterns the patterns; empty keeps nothing in float
 */
public record NodeSelector(List<String> patterns) {

    public NodeSelector {
        patterns = List.copyOf(patterns);
        // reads every pattern now, so a bad one fails before any work
        patterns.forEach(NamePattern::of);
    }

    /** Keeps nothing in float. */
    public static NodeSelector none() {
        return new NodeSelector(List.of());
    }

    /** Patterns from a comma-separated list (blank entries ignored). */
    public static NodeSelector parse(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return none();
        }
        return new NodeSelector(java.util.Arrays.stream(commaSeparated.split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).toList());
    }

    public boolean matches(NodeProto node) {
        if (patterns.isEmpty()) {
            return false;
        }
        List<NamePattern> read = patterns.stream().map(NamePattern::of).toList();
        return read.stream().anyMatch(p -> p.matches(node.getName())
                || node.getOutputList().stream().anyMatch(p::matches));
    }
}
