package dev.verdant.data;

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
 * {@code ""} for a quote inside). Labels may be any text; class names are the distinct labels, sorted (numerically
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
        try (BufferedReader reader = DataFiles.reader(file)) {
            String headerLine = reader.readLine();
            int lineNumber = 1;
            while (headerLine != null && headerLine.isBlank()) {
                headerLine = reader.readLine();
                lineNumber++;
            }
            if (headerLine == null) {
                throw new DataFormatException(file + " is empty; a CSV table needs a header row");
            }
            char separator = separatorOf(headerLine);
            List<String> header = fields(headerLine, separator, lineNumber).stream().map(String::strip).toList();
            int labelIndex = labelIndex(header);
            List<String> featureNames = new ArrayList<>(header);
            featureNames.remove(labelIndex);
            if (featureNames.isEmpty()) {
                throw new DataFormatException(file + " has only the label column; it needs at least one feature column");
            }
            List<String> rawLabels = new ArrayList<>();
            float[] features = new float[featureNames.size() * 1024];
            int values = 0;
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                List<String> row = fields(line, separator, lineNumber);
                if (row.size() != header.size()) {
                    throw new DataFormatException(file + " line " + lineNumber + ": " + row.size()
                            + " fields, but the header has " + header.size());
                }
                for (int column = 0; column < row.size(); column++) {
                    String cell = row.get(column).strip();
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
            if (rawLabels.isEmpty()) {
                throw new DataFormatException(file + " has a header but no rows");
            }
            LabelIndex labels = LabelIndex.of(rawLabels);
            return new TabularDataset(name, Arrays.copyOf(features, values), featureNames, labels.labels(),
                    labels.classNames());
        } catch (IOException e) {
            throw DataFiles.failure(file, e);
        }
    }

    private int labelIndex(List<String> header) {
        if (labelColumn.isPresent()) {
            int index = header.indexOf(labelColumn.get().strip());
            if (index < 0) {
                throw new DataFormatException(file + " has no column '" + labelColumn.get() + "'; its columns are "
                        + header);
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
            throw new DataFormatException(file + " line " + lineNumber + ", column '" + column + "': the value is missing");
        }
        try {
            float value = Float.parseFloat(cell);
            if (Float.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, with where it is
        }
        throw new DataFormatException(file + " line " + lineNumber + ", column '" + column + "': '" + cell
                + "' is not a finite number (feature columns must be numeric)");
    }

    /** The separator the header uses most, outside quotes: comma, semicolon or tab. */
    static char separatorOf(String headerLine) {
        char best = ',';
        int bestCount = 0;
        for (char candidate : new char[] {',', ';', '\t'}) {
            int count = 0;
            boolean quoted = false;
            for (int i = 0; i < headerLine.length(); i++) {
                char c = headerLine.charAt(i);
                if (c == '"') {
                    quoted = !quoted;
                } else if (c == candidate && !quoted) {
                    count++;
                }
            }
            if (count > bestCount) {
                best = candidate;
                bestCount = count;
            }
        }
        return best;
    }

    /** The fields of one line; quoted fields keep separators, {@code ""} inside quotes is one quote. */
    List<String> fields(String line, char separator, int lineNumber) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == separator) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new DataFormatException(file + " line " + lineNumber + ": a quoted field is not closed "
                    + "(fields spanning lines are not supported)");
        }
        fields.add(field.toString());
        return fields;
    }
}
