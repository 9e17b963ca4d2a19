package dev.verdant.report.console;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.Set;

/**
 * A compression pass's facts (numbers, strings, lists and maps of those, as the passes report them) as indented
 * console lines: one fact a line with the keys aligned, nested maps indented under their key, lists of maps (per-layer
 * rows) as small aligned tables, long lists cut to their first items and {@code ... (N more)}. A number is formatted
 * by what its key says it is: {@code *Bytes} in decimal units, {@code *Joules} in J, {@code *Seconds} in s,
 * {@code *Ratio} and {@code weightReduction} with x, {@code sparsity}, {@code *fraction} and accuracies as percents,
 * cosines to 5 decimals, other integers with thousands separators.
 */
public final class FactsText {

    /** Rows of a table, and entries of a map of numbers, shown before {@code ... (N more)}. */
    static final int MAX_ROWS = 10;
    /** Items of an inline list shown before {@code ... (N more)}. */
    static final int MAX_ITEMS = 8;
    /** Inline text longer than this goes on lines of its own (maps) or is cut (lists). */
    private static final int MAX_INLINE_CHARS = 100;
    /** Longer names in a table keep their end (the specific part of a node path) after {@code ...}. */
    private static final int MAX_CELL_CHARS = 48;
    private static final String STEP = "  ";

    private FactsText() {
    }

    /** The facts as lines, each starting with {@code indent}; no line for an empty map. */
    public static List<String> lines(Map<String, ?> facts, String indent) {
        List<String> out = new ArrayList<>();
        block(facts, indent, out);
        return out;
    }

    /**
     * Plain facts first (one a line, keys aligned), then nested maps and tables under their key, each group in the
     * order of {@link #inOrder}.
     */
    private static void block(Map<?, ?> facts, String indent, List<String> out) {
        List<String[]> plain = new ArrayList<>();
        List<Map.Entry<?, ?>> nested = new ArrayList<>();
        for (Map.Entry<?, ?> fact : inOrder(facts)) {
            String key = String.valueOf(fact.getKey());
            inline(key, fact.getValue()).ifPresentOrElse(text -> plain.add(new String[] {key, text}),
                    () -> nested.add(fact));
        }
        // a map of numbers keyed by data (bits by tensor, counts by op) can be long; a map of named facts is shown whole
        boolean dictionary = plain.size() > MAX_ROWS && facts.values().stream().allMatch(v -> v instanceof Number);
        List<String[]> shown = dictionary ? plain.subList(0, MAX_ROWS) : plain;
        int width = shown.stream().mapToInt(p -> p[0].length()).max().orElse(0);
        for (String[] fact : shown) {
            out.add(indent + pad(fact[0], width) + STEP + fact[1]);
        }
        if (dictionary) {
            out.add(indent + more(plain.size() - MAX_ROWS));
        }
        for (Map.Entry<?, ?> fact : nested) {
            String key = String.valueOf(fact.getKey());
            if (fact.getValue() instanceof Map<?, ?> map) {
                out.add(indent + key);
                block(map, indent + STEP, out);
            } else {
                List<Map<?, ?>> rows = ((Collection<?>) fact.getValue()).stream()
                        .<Map<?, ?>>map(row -> (Map<?, ?>) row).toList();
                out.add(indent + key + " (" + rows.size() + ")");
                table(rows, indent + STEP, out);
            }
        }
    }

    /**
     * The map's own order when it has one (the passes build their facts in a {@code LinkedHashMap}); by key otherwise,
     * so that a map that lost its order (e.g. through {@code Map.copyOf}) prints the same every run, related keys
     * ({@code pruneSteps}, {@code pruneSeconds}) side by side.
     */
    private static List<Map.Entry<?, ?>> inOrder(Map<?, ?> facts) {
        List<Map.Entry<?, ?>> entries = new ArrayList<>(facts.entrySet());
        if (!(facts instanceof SequencedMap<?, ?>)) {
            entries.sort(Comparator.comparing(entry -> String.valueOf(entry.getKey())));
        }
        return entries;
    }

    /** The value on one line, or empty when it needs lines of its own (a map that does not fit, a list of maps). */
    private static Optional<String> inline(String key, Object value) {
        if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                return Optional.of("none");
            }
            if (map.size() > MAX_ITEMS || !map.values().stream().allMatch(FactsText::isPlain)) {
                return Optional.empty();
            }
            String text = inlineMap(key, map);
            return text.length() <= MAX_INLINE_CHARS ? Optional.of(text) : Optional.empty();
        }
        if (value instanceof Collection<?> items) {
            if (items.isEmpty()) {
                return Optional.of("none");
            }
            if (items.stream().allMatch(item -> item instanceof Map<?, ?>)) {
                return Optional.empty();
            }
            return Optional.of(inlineList(key, items));
        }
        return Optional.of(scalar(key, value));
    }

    /**
     * {@code a 1, b 2}: each value formatted by its own key, or by the map's key when that names what every value
     * is (accuracies by bits: {@code validationAccuracyByBits}).
     */
    private static String inlineMap(String key, Map<?, ?> map) {
        boolean accuracies = key.toLowerCase(Locale.ROOT).contains("accuracy");
        List<String> parts = new ArrayList<>();
        inOrder(map).forEach(entry -> parts.add(entry.getKey() + " " + scalar(accuracies ? key
                : String.valueOf(entry.getKey()), entry.getValue())));
        return String.join(", ", parts);
    }

    /** The items formatted by the list's key, cut at {@link #MAX_ITEMS} or {@link #MAX_INLINE_CHARS}. */
    private static String inlineList(String key, Collection<?> items) {
        StringBuilder text = new StringBuilder();
        int shown = 0;
        for (Object item : items) {
            String part = item instanceof Map<?, ?> map ? "{" + inlineMap(key, map) + "}"
                    : item instanceof Collection<?> inner ? "[" + inlineList(key, inner) + "]" : scalar(key, item);
            if (shown > 0 && (shown == MAX_ITEMS || text.length() + part.length() > MAX_INLINE_CHARS)) {
                break;
            }
            text.append(shown > 0 ? ", " : "").append(part);
            shown++;
        }
        return shown < items.size() ? text + ", " + more(items.size() - shown) : text.toString();
    }

    /** Rows of maps as an aligned table: columns in first-seen key order, numbers right-aligned. */
    private static void table(List<Map<?, ?>> rows, String indent, List<String> out) {
        Set<String> columns = new LinkedHashSet<>();
        rows.forEach(row -> inOrder(row).forEach(entry -> columns.add(String.valueOf(entry.getKey()))));
        List<String> header = List.copyOf(columns);
        List<Map<?, ?>> shown = rows.subList(0, Math.min(rows.size(), MAX_ROWS));
        List<List<String>> cells = new ArrayList<>();
        for (Map<?, ?> row : shown) {
            List<String> line = new ArrayList<>();
            for (String column : header) {
                Object value = row.get(column);
                line.add(!row.containsKey(column) ? "" : isPlain(value) ? cell(scalar(column, value))
                        : inline(column, value).orElseGet(() -> String.valueOf(value)));
            }
            cells.add(line);
        }
        List<ConsoleTable.Column> layout = new ArrayList<>();
        for (String column : header) {
            boolean numeric = shown.stream().map(row -> row.get(column)).allMatch(v -> v == null || v instanceof Number);
            layout.add(numeric ? ConsoleTable.Column.right(column) : ConsoleTable.Column.left(column));
        }
        ConsoleTable table = new ConsoleTable(layout, STEP);
        cells.forEach(table::row);
        table.lines().forEach(line -> out.add(indent + line.stripTrailing()));
        if (rows.size() > shown.size()) {
            out.add(indent + more(rows.size() - shown.size()));
        }
    }

    private static String cell(String text) {
        return text.length() <= MAX_CELL_CHARS ? text : "..." + text.substring(text.length() - MAX_CELL_CHARS + 3);
    }

    private static boolean isPlain(Object value) {
        return !(value instanceof Map<?, ?>) && !(value instanceof Collection<?>);
    }

    private static String more(int hidden) {
        return "... (" + hidden + " more)";
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(width - text.length());
    }

    /** One number, string or flag, formatted by what {@code key} says it is. */
    static String scalar(String key, Object value) {
        if (value == null) {
            return "-";
        }
        if (value instanceof Boolean flag) {
            return flag ? "yes" : "no";
        }
        if (!(value instanceof Number number)) {
            return String.valueOf(value);
        }
        double v = number.doubleValue();
        boolean integral = value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte;
        String name = key.toLowerCase(Locale.ROOT);
        if (name.endsWith("bytes")) {
            return Units.bytes(number.longValue());
        }
        if (name.endsWith("joules")) {
            return withPrefix(v, "J");
        }
        if (name.endsWith("seconds")) {
            return significant(v, 3) + " s";
        }
        if (name.endsWith("ratio") || name.equals("weightreduction")) {
            return significant(v, 3) + "x";
        }
        if (name.contains("accuracy") || name.equals("sparsity") || name.endsWith("fraction")) {
            return Units.percent(v);
        }
        if (name.contains("cosine")) {
            return String.format(Locale.ROOT, "%.5f", v);
        }
        if (integral) {
            return String.format(Locale.ROOT, "%,d", number.longValue());
        }
        return significant(v, name.contains("error") || name.contains("loss") ? 3 : 4);
    }

    /** 1234.5 J → {@code 1.23 kJ}; 0.42 J → {@code 0.42 J}. */
    private static String withPrefix(double value, String unit) {
        if (Math.abs(value) >= 1e6) {
            return significant(value / 1e6, 3) + " M" + unit;
        }
        if (Math.abs(value) >= 1e3) {
            return significant(value / 1e3, 3) + " k" + unit;
        }
        return significant(value, 3) + " " + unit;
    }

    /** {@code digits} significant digits without exponent or trailing zeros (exponent only below 1e-4). */
    static String significant(double value, int digits) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.toString(value);
        }
        if (value == 0) {
            return "0";
        }
        if (Math.abs(value) >= Math.pow(10, digits)) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (Math.abs(value) < 1e-4) {
            return String.format(Locale.ROOT, "%." + (digits - 1) + "e", value);
        }
        return new BigDecimal(value).round(new MathContext(digits)).stripTrailingZeros().toPlainString();
    }
}
