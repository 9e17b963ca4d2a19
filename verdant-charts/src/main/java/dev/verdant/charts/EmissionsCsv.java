package dev.verdant.charts;

import dev.verdant.io.CsvReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code emissions.csv} that {@code verdant track} appends to (CodeCarbon's columns and units: energy in
 * kWh, emissions in kg, a local timestamp of the run's end). Every figure is checked; a bad one is one message naming
 * the file, the line and the column.
 */
public final class EmissionsCsv {

    /** The columns read; the others of CodeCarbon's are ignored. */
    static final List<String> COLUMNS = List.of("timestamp", "project_name", "run_id", "duration", "emissions",
            "cpu_energy", "gpu_energy", "ram_energy", "tracking_mode");

    private static final double JOULES_PER_KWH = 3.6e6;

    private EmissionsCsv() {
    }

    /**
     * The runs in {@code file}, in file order.
     *
     * @throws IllegalArgumentException naming the file, line and column of the first thing wrong
     */
    public static List<RecordedRun> read(Path file) {
        return read(file, ZoneId.systemDefault());
    }

    /** As {@link #read(Path)}, with the zone the timestamps were written in. */
    static List<RecordedRun> read(Path file, ZoneId zone) {
        dev.verdant.io.InputFiles.requireReadable(file, "an emissions.csv");
        List<RecordedRun> runs = new ArrayList<>();
        Map<String, Integer> index = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            CsvReader.commaSeparated().read(in, (line, fields) -> {
                if (index.isEmpty()) {
                    for (int i = 0; i < fields.size(); i++) {
                        index.putIfAbsent(fields.get(i), i);
                    }
                    for (String column : COLUMNS) {
                        if (!index.containsKey(column)) {
                            throw new IllegalArgumentException(file + " line " + line + ": no column '" + column
                                    + "'; expected CodeCarbon's columns, as verdant track writes them");
                        }
                    }
                    return;
                }
                runs.add(row(file, line, fields, index, zone));
            });
        } catch (dev.verdant.io.CsvSyntaxException e) {
            throw new IllegalArgumentException(file + " line " + e.line() + ": " + e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file: " + file, e);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IllegalArgumentException(file + ": not UTF-8 text, so not an emissions.csv", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        if (runs.isEmpty()) {
            throw new IllegalArgumentException(file + ": no runs in it; track a command with verdant track first");
        }
        return runs;
    }

    private static RecordedRun row(Path file, int line, List<String> fields, Map<String, Integer> index,
                                   ZoneId zone) {
        if (fields.size() < index.size()) {
            throw new IllegalArgumentException(file + " line " + line + ": " + fields.size() + " fields, the header has "
                    + index.size());
        }
        String timestamp = text(fields, index, "timestamp");
        LocalDateTime end;
        try {
            end = LocalDateTime.parse(timestamp);
        } catch (DateTimeParseException e) {
            throw bad(file, line, index, "timestamp", timestamp, "is not a time such as 2026-11-23T10:15:30");
        }
        Map<String, Double> joules = new LinkedHashMap<>();
        for (String component : List.of("cpu", "gpu", "ram")) {
            double kwh = number(file, line, fields, index, component + "_energy");
            if (kwh > 0 || !component.equals("gpu")) {
                joules.put(component, kwh * JOULES_PER_KWH);
            }
        }
        String mode = text(fields, index, "tracking_mode");
        String method = switch (mode) {
            case "process" -> "estimated";
            case "machine" -> "measured";
            default -> throw bad(file, line, index, "tracking_mode", mode, "is neither process nor machine");
        };
        return new RecordedRun(end.atZone(zone).toInstant(), text(fields, index, "project_name"), "",
                text(fields, index, "run_id"), number(file, line, fields, index, "duration"), joules,
                number(file, line, fields, index, "emissions") * 1000, method, file + " line " + line);
    }

    private static String text(List<String> fields, Map<String, Integer> index, String column) {
        return fields.get(index.get(column)).strip();
    }

    private static double number(Path file, int line, List<String> fields, Map<String, Integer> index, String column) {
        String value = text(fields, index, column);
        try {
            double number = Double.parseDouble(value);
            if (!Double.isFinite(number) || number < 0) {
                throw bad(file, line, index, column, value, "is not a finite number >= 0");
            }
            return number;
        } catch (NumberFormatException e) {
            throw bad(file, line, index, column, value, "is not a number");
        }
    }

    private static IllegalArgumentException bad(Path file, int line, Map<String, Integer> index, String column,
                                                String value, String why) {
        return new IllegalArgumentException(file + " line " + line + ", column " + (index.get(column) + 1) + " ("
                + column + "): '" + value + "' " + why);
    }
}
