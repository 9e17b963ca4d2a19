package dev.verdant.compress.quantize;

import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which nodes stay in float ({@code --keep-float}): glob patterns ({@code *} any run of characters, {@code ?} one)
 * matched against a node's name and each of its output names, for example {@code /encoder/layer.5/output/*}.
 */
public record NodeSelector(List<String> patterns) {

    public NodeSelector {
        patterns = List.copyOf(patterns);
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
        for (String glob : patterns) {
            Pattern pattern = toRegex(glob);
            if (pattern.matcher(node.getName()).matches()
                    || node.getOutputList().stream().anyMatch(o -> pattern.matcher(o).matches())) {
                return true;
            }
        }
        return false;
    }

    private static Pattern toRegex(String glob) {
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
