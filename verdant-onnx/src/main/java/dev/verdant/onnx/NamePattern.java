package dev.verdant.onnx;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A pattern over the names in an ONNX graph (initializers, nodes, tensors), written the way users write them on the
 * command line: a glob ({@code *} any run of characters, {@code ?} one character; {@code glob:} may prefix it) or a
 * regular expression prefixed {@code regex:}. The trainer's {@code --freeze} and compress's {@code --keep-float}
 * both read their patterns with it.
 *
 * @param text  the pattern as written
 * @param regex the whole-name regular expression it stands for
 */
public record NamePattern(String text, Pattern regex) {

    private static final String REGEX_PREFIX = "regex:";
    private static final String GLOB_PREFIX = "glob:";

    /**
     * Reads a pattern.
     *
     * @throws IllegalArgumentException naming the pattern when its regular expression is invalid
     */
    public static NamePattern of(String text) {
        if (text.startsWith(REGEX_PREFIX)) {
            try {
                return new NamePattern(text, Pattern.compile(text.substring(REGEX_PREFIX.length())));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("invalid parameter pattern '" + text + "': " + e.getDescription(), e);
            }
        }
        String glob = text.startsWith(GLOB_PREFIX) ? text.substring(GLOB_PREFIX.length()) : text;
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return new NamePattern(text, Pattern.compile(regex.toString()));
    }

    /** Whether the whole of {@code name} matches. */
    public boolean matches(String name) {
        return regex.matcher(name).matches();
    }
}
