package dev.verdant.charts;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code verdant schedule --json} chose and the forecast it chose from, read back for the schedule page.
 *
 * @param chosen        the best window over every region
 * @param runNow        running now in the first region
 * @param savingPercent how much lower the chosen window's intensity is than running now
 * @param regions       each region's forecast and windows
 * @param windowStart   the earliest start allowed
 * @param windowEnd     the latest end allowed
 * @param source        where the forecast came from
 */
public record SchedulePlan(Window chosen, Window runNow, double savingPercent, List<Region> regions,
                           Instant windowStart, Instant windowEnd, String source) {

    /** A time window in one region and its average intensity in gCO2e/kWh. */
    public record Window(String region, Instant start, Instant end, double averageIntensity) {
    }

    /** One point of a forecast: the intensity in gCO2e/kWh from {@code start} to {@code end}. */
    public record Point(Instant start, Instant end, double intensity) {
    }

    /** A region's forecast and its best and run-now windows. */
    public record Region(String region, List<Point> forecast, Window best, Window now) {
    }

    /**
     * Reads {@code file}.
     *
     * @throws IllegalArgumentException naming the file and the field of the first thing wrong
     */
    public static SchedulePlan read(Path file) {
        JsonNode root = ChartInput.readJson(file);
        List<Region> regions = new ArrayList<>();
        JsonNode list = root.path("regions");
        for (int i = 0; i < list.size(); i++) {
            JsonNode region = list.get(i);
            String where = "regions[" + i + "]";
            List<Point> points = new ArrayList<>();
            JsonNode forecast = region.path("forecast");
            if (!forecast.isArray() || forecast.isEmpty()) {
                throw new IllegalArgumentException(file + ": " + where + " has no forecast points (written by a "
                        + "verdant schedule older than this report? run it again with --json)");
            }
            for (int p = 0; p < forecast.size(); p++) {
                String at = where + ".forecast[" + p + "]";
                points.add(new Point(time(file, forecast.get(p), "start", at), time(file, forecast.get(p), "end", at),
                        number(file, forecast.get(p), "intensity", at)));
            }
            regions.add(new Region(text(file, region, "region", where), points,
                    window(file, region.path("best"), where + ".best"), window(file, region.path("now"), where + ".now")));
        }
        if (regions.isEmpty()) {
            throw new IllegalArgumentException(file + ": no regions in it");
        }
        return new SchedulePlan(window(file, root, "the best window"), window(file, root.path("now"), "now"),
                number(file, root, "saving_percent", "the top level"), regions,
                time(file, root, "window_start", "the top level"), time(file, root, "window_end", "the top level"),
                root.path("forecast_source").asText(""));
    }

    private static Window window(Path file, JsonNode node, String where) {
        return new Window(text(file, node, "region", where), time(file, node, "start", where),
                time(file, node, "end", where), number(file, node, "average_intensity", where));
    }

    private static String text(Path file, JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(file + ": " + where + " has no text field '" + field + "'");
        }
        return value.asText();
    }

    private static Instant time(Path file, JsonNode node, String field, String where) {
        String text = text(file, node, field, where);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(file + ": " + where + "." + field + " '" + text
                    + "' is not an ISO-8601 time", e);
        }
    }

    private static double number(Path file, JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isNumber() || !Double.isFinite(value.asDouble())) {
            throw new IllegalArgumentException(file + ": " + where + "." + field + " must be a number, got "
                    + (value == null ? "nothing" : value.toString()));
        }
        return value.asDouble();
    }
}
