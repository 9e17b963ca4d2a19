package dev.verdant.charts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdant.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/** What a file given to {@code verdant report} is, told from its name and content. */
public enum ChartInput {
    /** {@code emissions.csv}: one row a tracked run, CodeCarbon's columns. */
    EMISSIONS_CSV,
    /** A run's JSON as {@code verdant track} writes it beside the CSV. */
    TRACK_JSON,
    /** {@code verdant schedule --json}: the windows and the forecast they were chosen from. */
    SCHEDULE_JSON,
    /** Anything else: a results file of bench, compress or optimize, for the results page. */
    RESULTS;

    /**
     * The kind of {@code file}.
     *
     * @throws IllegalArgumentException when it cannot be read, or a {@code .json} is not JSON
     */
    public static ChartInput of(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return EMISSIONS_CSV;
        }
        JsonNode root = readJson(file);
        if (root.has("regions") && root.has("window_start")) {
            return SCHEDULE_JSON;
        }
        if (root.has("run_id") && root.has("components") && root.has("started_at")) {
            return TRACK_JSON;
        }
        return RESULTS;
    }

    /** The JSON tree of {@code file}, or one message naming it. */
    static JsonNode readJson(Path file) {
        try {
            return Json.mapper().readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file: " + file, e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not JSON: line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
