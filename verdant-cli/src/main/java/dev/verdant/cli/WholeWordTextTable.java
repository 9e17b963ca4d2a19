package dev.verdant.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.TextTable;

/**
 * A picocli text table whose wrapping columns break lines at spaces only, so no word of the help (a file name, a
 * {@code prune:SPARSITY} step, a {@code cloud:region}) is ever split across two lines. Other columns, and a single
 * word wider than its column, are left to picocli.
 */
final class WholeWordTextTable extends TextTable {

    WholeWordTextTable(ColorScheme scheme, boolean adjustCjk, Column... columns) {
        super(scheme, columns);
        setAdjustLineBreaksForWideCJKCharacters(adjustCjk);
    }

    /** An empty table with the columns and settings of {@code table}. */
    static WholeWordTextTable like(TextTable table, ColorScheme scheme) {
        WholeWordTextTable copy = new WholeWordTextTable(scheme, table.isAdjustLineBreaksForWideCJKCharacters(),
                table.columns());
        copy.indentWrappedLines = table.indentWrappedLines;
        return copy;
    }

    /**
     * Cuts a wrapping column's value into lines that fit, at spaces, and hands picocli one line per row; a line
     * that fits is never broken again.
     */
    @Override
    public Cell putValue(int row, int col, Text value) {
        Column column = columns()[col];
        if (column.overflow != Column.Overflow.WRAP || value == null || value.plainString().isEmpty()) {
            return super.putValue(row, col, value);
        }
        List<Text> lines = lines(value, column.width - column.indent, column.width - column.indent - indentWrappedLines);
        Cell last = super.putValue(row, col, lines.getFirst());
        for (Text line : lines.subList(1, lines.size())) {
            addEmptyRow();
            // a wrapped line is indented as picocli indents it
            last = super.putValue(rowCount() - 1, col, value.substring(0, 0).concat(" ".repeat(indentWrappedLines))
                    .concat(line));
        }
        return last;
    }

    /** Greedy wrapping at spaces: the first line holds {@code firstWidth} columns, the others {@code nextWidth}. */
    static List<Text> lines(Text value, int firstWidth, int nextWidth) {
        String plain = value.plainString();
        List<Text> lines = new ArrayList<>();
        int start = 0;
        while (start < plain.length()) {
            int width = Math.max(1, lines.isEmpty() ? firstWidth : nextWidth);
            if (plain.length() - start <= width) {
                lines.add(value.substring(start));
                break;
            }
            int cut = plain.lastIndexOf(' ', start + width);
            if (cut <= start) {
                cut = plain.indexOf(' ', start + width);      // one word wider than the column: picocli cuts it
                if (cut < 0) {
                    lines.add(value.substring(start));
                    break;
                }
            }
            lines.add(value.substring(start, cut));
            start = cut;
            while (start < plain.length() && plain.charAt(start) == ' ') {
                start++;
            }
        }
        return lines;
    }
}
