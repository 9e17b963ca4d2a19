package dev.verdant.energy;

import dev.verdant.io.CsvReader;
import dev.verdant.io.CsvSyntaxException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A table of published figures shipped as a CSV resource, where every row names its public {@code source} and
 * {@code year}; loading refuses a row without them, so no figure enters Verdant unsourced.
 *
 * <p>The format is deliberately plain: a header line, comma-separated fields, double quotes around a field that
 * holds a comma, {@code #} lines as comments (read by the one {@link CsvReader}).
 *
 * <p>A source may end with the maintainers' note of how it was verified, after a semicolon: {@code ; checked
 * 2026-11-23: ...}, {@code ; unverified 2026-11-23 (...)}, {@code ; 2023 value checked 2026-12-04 in ...},
 * {@code ; country confirmed 2026-11-23, ...}. Loading moves that note to a {@code verification} column, so what
 * users see (console, reports) is the source and its year only, and the note stays in the data for maintainers.
 *
 * @param resource the resource path the table was read from, for messages
 * @param rows     each row as column name to value, in file order, with {@code source} split from its
 *                 {@code verification} note (empty when it has none)
 */
public record FactTable(String resource, List<Map<String, String>> rows) {

    /** Where a verification note starts in a source: a semicolon, up to two words, checked/unverified/confirmed, a date. */
    private static final Pattern VERIFICATION_NOTE =
            Pattern.compile(";\\s*(?:[\\w-]+\\s+){0,2}(?:checked|unverified|confirmed)\\s+\\d{4}-\\d{2}-\\d{2}");

    public FactTable {
        rows = List.copyOf(rows);
    }

    /** Reads a table that sits beside {@code anchor} in the jar. */
    public static FactTable load(Class<?> anchor, String name) {
        String resource = anchor.getPackageName().replace('.', '/') + "/" + name;
        try (InputStream in = anchor.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return parse(resource, new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    static FactTable parse(String resource, BufferedReader reader) throws IOException {
        List<List<String>> header = new ArrayList<>(1);
        List<Map<String, String>> rows = new ArrayList<>();
        try {
            CsvReader.commaSeparated().withComments().read(reader, (lineNumber, fields) -> {
                if (header.isEmpty()) {
                    if (!fields.contains("source") || !fields.contains("year")) {
                        throw new IllegalStateException(resource + " lacks a source or year column");
                    }
                    header.add(fields);
                    return;
                }
                rows.add(row(resource, lineNumber, header.getFirst(), fields));
            });
        } catch (CsvSyntaxException e) {
            throw new IllegalStateException(resource + ":" + e.line() + ": " + e.getMessage(), e);
        }
        return new FactTable(resource, rows);
    }

    private static Map<String, String> row(String resource, int lineNumber, List<String> header, List<String> fields) {
        if (fields.size() != header.size()) {
            throw new IllegalStateException(resource + ":" + lineNumber + " has " + fields.size()
                    + " fields, the header " + header.size());
        }
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            row.put(header.get(i), fields.get(i).strip());
        }
        if (row.get("source").isEmpty() || !isYear(row.get("year"))) {
            throw new IllegalStateException(resource + ":" + lineNumber + " lacks its source or year");
        }
        Matcher note = VERIFICATION_NOTE.matcher(row.get("source"));
        if (note.find()) {
            row.put("verification", row.get("source").substring(note.start() + 1).strip());
            row.put("source", row.get("source").substring(0, note.start()).strip());
        } else {
            row.putIfAbsent("verification", "");
        }
        return row;
    }

    private static boolean isYear(String text) {
        return text.length() == 4 && text.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** A number column of a row, with a message naming the row when it is not one. */
    public static double number(Map<String, String> row, String column) {
        String value = row.get(column);
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalStateException("column " + column + " of " + row + " is not a number", e);
        }
    }
}
