package dev.verdant.energy.schedule;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.verdant.io.CsvReader;
import dev.verdant.io.CsvSyntaxException;
import dev.verdant.io.InputFiles;
import dev.verdant.io.Json;
import dev.verdant.io.MessageText;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Forecasts read from a local file, for recorded forecasts, air-gapped machines and tests. Two forms hold the
 * same rows:
 * <ul>
 *   <li>CSV with exactly the header {@code region,time,intensity_g_per_kwh}, one row per region and time; lines
 *       starting with {@code #} are comments (for the data's source and licence);</li>
 *   <li>JSON: an array of objects with the keys {@code region}, {@code time}, {@code intensity_g_per_kwh}.</li>
 * </ul>
 * Times are ISO-8601 instants ({@code 2026-11-23T00:00:00Z}). Each value holds until the region's next time;
 * the last one for as long as the step before it.
 */
public final class ForecastFile implements ForecastSource {

    /** The CSV header, exactly. */
    public static final String CSV_HEADER = "region,time,intensity_g_per_kwh";

    private final Path file;
    private final Map<String, Forecast> byRegion;

    private ForecastFile(Path file, Map<String, Forecast> byRegion) {
        this.file = file;
        this.byRegion = byRegion;
    }

    /** Reads {@code file} (CSV, or JSON when its name ends in {@code .json} or its text starts with {@code [}). */
    public static ForecastFile read(Path file) throws IOException {
        InputFiles.problem(file, "a CSV or JSON file").ifPresent(why -> {
            throw new IllegalArgumentException("forecast file: " + why);
        });
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IllegalArgumentException("forecast file " + file + " is not UTF-8 text");
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("forecast file " + file + ": no such file");
        } catch (IOException e) {
            throw new IOException("cannot read forecast " + file + ": " + e.getMessage(), e);
        }
        String name = file.getFileName().toString();
        boolean json = name.toLowerCase(java.util.Locale.ROOT).endsWith(".json") || text.stripLeading().startsWith("[");
        Rows rows = json ? parseJson(text, name) : parseCsv(text, name);
        Map<String, Forecast> byRegion = new LinkedHashMap<>();
        for (Map.Entry<String, Rows.Series> e : rows.series.entrySet()) {
            try {
                byRegion.put(e.getKey(), Forecast.fromSamples(e.getKey(), name, e.getValue().times, e.getValue().values, null));
            } catch (IllegalArgumentException bad) {
                throw new IOException(name + ": " + bad.getMessage(), bad);
            }
        }
        if (byRegion.isEmpty()) {
            throw new IOException(name + ": no forecast rows");
        }
        return new ForecastFile(file, byRegion);
    }

    /** The regions in the file, in the order they first appear. */
    public List<String> regions() {
        return List.copyOf(byRegion.keySet());
    }

    /** The file this was read from. */
    public Path file() {
        return file;
    }

    @Override
    public String name() {
        return file.getFileName().toString();
    }

    @Override
    public Forecast forecast(ForecastQuery query) throws ForecastException {
        Forecast forecast = byRegion.get(query.region());
        if (forecast == null) {
            throw new ForecastException("unknown region '" + query.region() + "': " + name() + " has "
                    + String.join(", ", byRegion.keySet()));
        }
        return forecast;
    }

    /** Writes forecasts as CSV text in this class's form, so a provider's answer can be recorded and replayed. */
    public static String toCsv(List<Forecast> forecasts) {
        return toCsv(List.of(), forecasts);
    }

    /**
     * CSV text with {@code comments} as {@code #} lines before the header (where the data came from, when, under
     * which terms). Each forecast's last interval is written as a row too, so it must be as long as the step before
     * it for the file to read back the same.
     */
    public static String toCsv(List<String> comments, List<Forecast> forecasts) {
        StringBuilder sb = new StringBuilder();
        for (String c : comments) {
            sb.append("# ").append(c.replaceAll("\\R", " ")).append('\n');
        }
        sb.append(CSV_HEADER).append('\n');
        for (Forecast f : forecasts) {
            for (ForecastPoint p : f.points()) {
                sb.append(f.region()).append(',').append(p.start()).append(',').append(p.intensity().gramsPerKilowattHour()).append('\n');
            }
        }
        return sb.toString();
    }

    private static Rows parseCsv(String text, String name) throws IOException {
        Rows rows = new Rows();
        List<String> header = List.of(CSV_HEADER.split(","));
        boolean[] headerSeen = {false};
        try {
            CsvReader.commaSeparated().withComments().read(new BufferedReader(new StringReader(text)), (lineNo, cells) -> {
                if (!headerSeen[0]) {
                    if (!cells.equals(header)) {
                        throw new IOException(name + ":" + lineNo + ": expected the header '" + CSV_HEADER + "', found "
                                + MessageText.quote(String.join(",", cells)));
                    }
                    headerSeen[0] = true;
                    return;
                }
                if (cells.size() != 3) {
                    throw new IOException(name + ":" + lineNo + ": expected 3 comma-separated cells (" + CSV_HEADER
                            + "), found " + cells.size());
                }
                rows.add(cells.get(0).strip(), cells.get(1).strip(), cells.get(2).strip(), name + ":" + lineNo);
            });
        } catch (CsvSyntaxException e) {
            throw new IOException(name + ":" + e.line() + ": " + e.getMessage(), e);
        }
        if (!headerSeen[0]) {
            throw new IOException(name + ": empty; expected the header '" + CSV_HEADER + "'");
        }
        return rows;
    }

    private static Rows parseJson(String text, String name) throws IOException {
        JsonNode root;
        try {
            root = Json.mapper().readTree(text);
        } catch (JacksonException e) {
            throw new IOException(name + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isArray()) {
            throw new IOException(name + ": expected a JSON array of {region, time, intensity_g_per_kwh} objects");
        }
        Rows rows = new Rows();
        for (int i = 0; i < root.size(); i++) {
            JsonNode row = root.get(i);
            String where = name + "[" + i + "]";
            JsonNode intensity = row.get("intensity_g_per_kwh");
            if (!row.isObject() || !row.path("region").isTextual() || !row.path("time").isTextual()
                    || intensity == null || !intensity.isNumber()) {
                throw new IOException(where + ": expected {\"region\": text, \"time\": text, \"intensity_g_per_kwh\": number}");
            }
            rows.add(row.get("region").asText(), row.get("time").asText(), intensity.asText(), where);
        }
        return rows;
    }

    /** Rows grouped by region, in first-appearance order. */
    private static final class Rows {
        private record Series(List<Instant> times, List<Double> values) {
        }

        final Map<String, Series> series = new LinkedHashMap<>();

        void add(String region, String time, String intensity, String where) throws IOException {
            if (region.isEmpty()) {
                throw new IOException(where + ": empty region");
            }
            Instant t;
            try {
                t = Instant.parse(time);
            } catch (DateTimeParseException e) {
                throw new IOException(where + ": time " + MessageText.quote(time)
                        + " is not an ISO-8601 instant such as 2026-11-23T00:00:00Z", e);
            }
            double g;
            try {
                g = Double.parseDouble(intensity);
            } catch (NumberFormatException e) {
                throw new IOException(where + ": intensity " + MessageText.quote(intensity) + " is not a number", e);
            }
            if (!Double.isFinite(g) || g < 0) {
                throw new IOException(where + ": intensity " + intensity + " must be a finite number >= 0");
            }
            Series s = series.computeIfAbsent(region, r -> new Series(new ArrayList<>(), new ArrayList<>()));
            s.times.add(t);
            s.values.add(g);
        }
    }
}
