package dev.verdant.io;

/**
 * A value read from a file, as an error message shows it: in single quotes, control characters (a line break, a
 * tab, an escape sequence) written as {@code \n}, {@code \t} or {@code \u001b}, and cut after
 * {@value #MAX_CHARS} characters. Every bad-input message is one line (the CLI prints it after {@code verdant: }),
 * and a value from a hostile file must neither break it nor drive the terminal.
 */
public final class MessageText {

    /** The most characters of a value a message shows. */
    public static final int MAX_CHARS = 60;

    private MessageText() {
    }

    /** {@code value} quoted for a one-line message; {@code null} shows as {@code null}. */
    public static String quote(String value) {
        return value == null ? "null" : "'" + escaped(value, MAX_CHARS) + "'";
    }

    /**
     * A library's message (a JSON parser's, say) that may quote the input, on one line: control characters written
     * out as {@link #quote} does, no quotes added, cut after 300 characters.
     */
    public static String oneLine(String message) {
        return message == null ? "" : escaped(message, 300);
    }

    private static String escaped(String value, int maxChars) {
        StringBuilder out = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            if (shown == maxChars) {
                out.append("...");
                break;
            }
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029 || c == 0x85) {
                        out.append(String.format("\\u%04x", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
            shown++;
            i += Character.charCount(c);
        }
        return out.toString();
    }
}
