package dev.verdant.charts;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the runs' JSON files that {@code verdant track} writes beside {@code emissions.csv}. */
public final class TrackJsonFiles {

    private TrackJsonFiles() {
    }

    /**
     * One run a file, in the order given.
     *
     * @throws IllegalArgumentException naming the file and the field of the first thing wrong
     */
    public static List<RecordedRun> read(List<Path> files) {
        List<RecordedRun> runs = new ArrayList<>();
        for (Path file : files) {
            runs.add(read(file));
        }
        return runs;
    }

    static RecordedRun read(Path file) {
        JsonNode root = ChartInput.readJson(file);
        Instant start;
        try {
            start = Instant.parse(text(file, root, "started_at"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(file + ": started_at '" + root.path("started_at").asText()
                    + "' is not an ISO-8601 time", e);
        }
        double seconds = number(file, root, "duration_s");
        Map<String, Double> joules = new LinkedHashMap<>();
        JsonNode components = root.path("components");
        if (!components.isObject()) {
            throw new IllegalArgumentException(file + ": 'components' is not an object of cpu, gpu, ram");
        }
        components.properties().forEach(entry -> joules.put(entry.getKey(),
                number(file, entry.getValue(), "energy_j", "components." + entry.getKey() + ".energy_j")));
        return new RecordedRun(start.plusNanos(Math.round(seconds * 1e9)), root.path("project").asText(""),
                text(file, root, "name"), text(file, root, "run_id"), seconds, joules,
                number(file, root, "co2e_kg") * 1000, text(file, root, "method"), file.toString());
    }

    private static String text(Path file, JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(file + ": no text field '" + field + "' (is it a run's JSON from "
                    + "verdant track?)");
        }
        return value.asText();
    }

    private static double number(Path file, JsonNode node, String field) {
        return number(file, node, field, field);
    }

    private static double number(Path file, JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || !value.isNumber() || !Double.isFinite(value.asDouble()) || value.asDouble() < 0) {
            throw new IllegalArgumentException(file + ": '" + path + "' must be a number >= 0, got "
                    + (value == null ? "nothing" : value.toString()));
        }
        return value.asDouble();
    }
}
