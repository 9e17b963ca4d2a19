package dev.verdant.data;

import dev.verdant.io.CsvReader;
import dev.verdant.io.CsvSyntaxException;
import dev.verdant.io.MessageText;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A CSV table (gzipped or not) with a header row, one label column chosen by name and numeric feature columns.
 * The separator is whichever of comma, semicolon or tab the header uses; fields may be double-quoted (with
 * {@code ""} for a quote inside); rows are read by the one {@link CsvReader}. Labels may be any text; class names are the distinct labels, sorted (numerically
 * when they are all numbers).
 *
 * @param name        a short name for reports, for example {@code iris.csv}
 * @param file        the CSV file
 * @param labelColumn the label column's name; empty to pick the first of {@value #DEFAULT_LABEL_COLUMNS}
 *                    (ignoring case) that the header has, else the last column
 */
public record CsvSource(String name, Path file, Optional<String> labelColumn) implements DataSource<TabularDataset> {

    /** The column names tried, in order, when no label column is named. */
    public static final String DEFAULT_LABEL_COLUMNS = "label, class, target";

    @Override
    public List<Path> files() {
        return List.of(file);
    }

    @Override
    public String description() {
        return "CSV table " + file + " (label column " + labelColumn.orElse("chosen from the header") + ")";
    }

    /** The same table with the label in column {@code column}. */
    public CsvSource withLabelColumn(String column) {
        return new CsvSource(name, file, Optional.of(column));
    }

    @Override
    public TabularDataset loadAll() {
        Rows rows = new Rows();
        try (BufferedReader reader = DataFiles.reader(file)) {
            CsvReader.separatorFromHeader().read(reader, rows::add);
        } catch (CsvSyntaxException e) {
            throw new DataFormatException(file + " line " + e.line() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw DataFiles.failure(file, e);
        }
        if (rows.header == null) {
            throw new DataFormatException(file + " is empty; a CSV table needs a header row");
        }
        if (rows.rawLabels.isEmpty()) {
            throw new DataFormatException(file + " has a header but no rows");
        }
        LabelIndex labels = LabelIndex.of(rows.rawLabels);
        return new TabularDataset(name, Arrays.copyOf(rows.features, rows.values), rows.featureNames, labels.labels(),
                labels.classNames());
    }

    /** The table as its rows arrive: the header, then each row's label and features. */
    private final class Rows {
        List<String> header;
        int labelIndex;
        List<String> featureNames;
        final List<String> rawLabels = new ArrayList<>();
        float[] features;
        int values;

        void add(int lineNumber, List<String> fields) {
            if (header == null) {
                header = fields.stream().map(String::strip).toList();
                labelIndex = labelIndex(header);
                featureNames = new ArrayList<>(header);
                featureNames.remove(labelIndex);
                if (featureNames.isEmpty()) {
                    throw new DataFormatException(file + " has only the label column; it needs at least one feature column");
                }
                features = new float[featureNames.size() * 1024];
                return;
            }
            if (fields.size() != header.size()) {
                throw new DataFormatException(file + " line " + lineNumber + ": " + fields.size()
                        + " fields, but the header has " + header.size());
            }
            for (int column = 0; column < fields.size(); column++) {
                String cell = fields.get(column).strip();
                if (column == labelIndex) {
                    if (cell.isEmpty()) {
                        throw new DataFormatException(file + " line " + lineNumber + ": the label is empty");
                    }
                    rawLabels.add(cell);
                    continue;
                }
                if (values == features.length) {
                    features = Arrays.copyOf(features, features.length * 2);
                }
                features[values++] = number(cell, lineNumber, header.get(column));
            }
        }
    }

    private int labelIndex(List<String> header) {
        if (labelColumn.isPresent()) {
            int index = header.indexOf(labelColumn.get().strip());
            if (index < 0) {
                throw new DataFormatException(file + " has no column " + MessageText.quote(labelColumn.get())
                        + "; its columns are " + String.join(", ", header.stream().map(MessageText::quote).toList()));
            }
            return index;
        }
        for (String candidate : DEFAULT_LABEL_COLUMNS.split(", ")) {
            for (int i = 0; i < header.size(); i++) {
                if (header.get(i).toLowerCase(Locale.ROOT).equals(candidate)) {
                    return i;
                }
            }
        }
        return header.size() - 1;
    }

    private float number(String cell, int lineNumber, String column) {
        if (cell.isEmpty()) {
            throw new DataFormatException(file + " line " + lineNumber + ", column " + MessageText.quote(column) + ": the value is missing");
        }
        try {
            float value = Float.parseFloat(cell);
            if (Float.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, with where it is
        }
        throw new DataFormatException(file + " line " + lineNumber + ", column " + MessageText.quote(column) + ": "
                + MessageText.quote(cell) + " is not a finite number (feature columns must be numeric)");
    }
}
