package dev.verdant.report.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An aligned text table for the console: each column as wide as its widest cell, its header or its stated minimum,
 * text left-aligned and numbers right-aligned, columns joined by the table's gap (or a column's own); a left-aligned
 * last column is not padded, so lines end with their text. Every console table of Verdant is laid out by this one
 * class.
 */
public final class ConsoleTable {

    /** How a column's cells line up. */
    public enum Align { LEFT, RIGHT }

    /**
     * One column.
     *
     * @param header    its heading
     * @param align     how its cells line up
     * @param minWidth  the narrowest it gets, however short its cells
     * @param gapBefore what separates it from the column before, or null for the table's gap
     */
    public record Column(String header, Align align, int minWidth, String gapBefore) {
        public Column {
            Objects.requireNonNull(header, "header");
            Objects.requireNonNull(align, "align");
        }

        /** A left-aligned column as wide as its cells. */
        public static Column left(String header) {
            return new Column(header, Align.LEFT, 0, null);
        }

        /** A right-aligned column as wide as its cells. */
        public static Column right(String header) {
            return new Column(header, Align.RIGHT, 0, null);
        }

        /** The same column at least {@code width} characters wide. */
        public Column atLeast(int width) {
            return new Column(header, align, width, gapBefore);
        }

        /** The same column set off from the one before by {@code gap} instead of the table's gap. */
        public Column after(String gap) {
            return new Column(header, align, minWidth, gap);
        }
    }

    private final List<Column> columns;
    private final String gap;
    private final List<List<String>> rows = new ArrayList<>();

    /** A table of {@code columns} joined by {@code gap}. */
    public ConsoleTable(List<Column> columns, String gap) {
        this.columns = List.copyOf(columns);
        this.gap = Objects.requireNonNull(gap, "gap");
    }

    /** Adds one row, a cell per column. */
    public ConsoleTable row(List<String> cells) {
        if (cells.size() != columns.size()) {
            throw new IllegalArgumentException("a row of " + columns.size() + " columns got " + cells.size() + " cells");
        }
        rows.add(List.copyOf(cells));
        return this;
    }

    /** Adds one row, a cell per column. */
    public ConsoleTable row(String... cells) {
        return row(List.of(cells));
    }

    /** How wide column {@code column} is laid out, given the rows added so far. */
    public int width(int column) {
        int width = Math.max(columns.get(column).minWidth(), columns.get(column).header().length());
        for (List<String> row : rows) {
            width = Math.max(width, row.get(column).length());
        }
        return width;
    }

    /** The header line then one line per row, without line ends. */
    public List<String> lines() {
        int[] widths = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            widths[c] = width(c);
        }
        List<String> out = new ArrayList<>();
        out.add(line(columns.stream().map(Column::header).toList(), widths));
        rows.forEach(row -> out.add(line(row, widths)));
        return out;
    }

    private String line(List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            Column column = columns.get(c);
            String text = cells.get(c);
            boolean last = c == cells.size() - 1;
            String padding = last && column.align() == Align.LEFT ? "" : " ".repeat(widths[c] - text.length());
            if (c > 0) {
                line.append(column.gapBefore() != null ? column.gapBefore() : gap);
            }
            line.append(column.align() == Align.RIGHT ? padding + text : text + padding);
        }
        return line.toString();
    }
}
