package dev.verdant.report;

import java.util.Locale;

/** Text made safe for HTML and SVG, and numbers formatted the same way everywhere in a report. */
public final class HtmlText {

    /** What a table shows for a figure that is not known. */
    public static final String UNKNOWN = "—";

    private HtmlText() {
    }

    /**
     * Escapes the five characters that could end an element, an attribute or an entity; safe in text and in quoted
     * attribute values alike. Null becomes the empty string.
     */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A number with {@code digits} significant digits (at least enough to show the integer part), or {@link #UNKNOWN}. */
    public static String number(Double value, int digits) {
        if (value == null || value.isNaN() || value.isInfinite()) {
            return UNKNOWN;
        }
        double abs = Math.abs(value);
        if (abs >= Math.pow(10, digits)) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, "%." + digits + "g", value).replaceAll("e\\+?(-?)0*(\\d)", "e$1$2");
    }

    /** A count with thousands separators, or {@link #UNKNOWN}. */
    public static String count(Long value) {
        return value == null ? UNKNOWN : String.format(Locale.ROOT, "%,d", value);
    }

    /** Bytes as decimal megabytes, or {@link #UNKNOWN}. */
    public static String megabytes(Long bytes) {
        return bytes == null ? UNKNOWN : String.format(Locale.ROOT, "%.2f MB", bytes / 1e6);
    }

    /** A fraction as a percentage with two decimals, or {@link #UNKNOWN}. */
    public static String percent(Double fraction) {
        return fraction == null || fraction.isNaN() ? UNKNOWN : String.format(Locale.ROOT, "%.2f%%", fraction * 100);
    }
}
