package dev.verdant.cli.command;

import dev.verdant.energy.Energy;
import dev.verdant.io.AtomicFiles;
import dev.verdant.io.RunFiles;
import dev.verdant.io.Json;
import dev.verdant.energy.schedule.BestWindowSearch;
import dev.verdant.energy.schedule.DurationText;
import dev.verdant.energy.schedule.Forecast;
import dev.verdant.energy.schedule.ForecastPoint;
import dev.verdant.energy.schedule.ForecastFile;
import dev.verdant.energy.schedule.ForecastSource;
import dev.verdant.energy.schedule.Schedule;
import dev.verdant.energy.schedule.ScheduleRequest;
import dev.verdant.energy.schedule.Window;
import dev.verdant.cli.ExitCode;
import dev.verdant.cli.option.ForecastOptions;
import dev.verdant.cli.option.OutputOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code verdant schedule}: when and where a job of a given length runs on the cleanest electricity. */
@Command(
        name = "schedule",
        header = "Find the start time and region with the cleanest grid for a job.",
        mixinStandardHelpOptions = true,
        description = "Find the start time and region with the lowest average grid carbon intensity for a job of "
                + "--duration that must run within --within of --from (time and location shifting), and the saving "
                + "against starting now in the first region given. The search is exact over the forecast's "
                + "intervals, including jobs that start or end part-way through one.")
public final class ScheduleCommand implements Callable<Integer> {

    @Mixin
    OutputOptions output;

    @Option(names = "--duration", required = true, paramLabel = "DURATION", description = "How long the job runs, e.g. 2h, 90m.")
    String duration;

    @Option(names = "--within", required = true, paramLabel = "DURATION", description = "The job must start and finish within this time of --from, e.g. 12h.")
    String within;

    @Option(names = "--from", paramLabel = "TIME", description = "The earliest start, ISO-8601 UTC such as 2026-11-23T00:00:00Z (default: now).")
    String from;

    @Option(names = "--region", required = true, split = ",", paramLabel = "REGION",
            description = "Regions (zones) the job may run in, comma-separated; the first is where it runs if not moved.")
    List<String> regions;

    @Option(names = "--energy-kwh", paramLabel = "KWH", description = "The job's expected energy, to report emissions in grams as well as intensities.")
    Double energyKwh;

    @Option(names = "--save-forecast", paramLabel = "FILE",
            description = "Also write the forecasts used, for the regions given, as a forecast file (CSV) to replay later with --forecast.")
    Path saveForecast;

    @Mixin
    ForecastOptions forecastOptions;

    /** Read by tests to fix "now"; the real command uses the system clock. */
    Clock clock = Clock.systemUTC();
    /** Where provider credentials come from; tests give their own. */
    Map<String, String> environment = System.getenv();

    @Override
    public Integer call() throws IOException {
        RunFiles files = RunFiles.none().reading(forecastOptions.forecastFile()).writing("--save-forecast",
                saveForecast).check();
        ScheduleRequest request = request(duration, within, from, regions, clock);
        if (energyKwh != null && !(energyKwh >= 0 && Double.isFinite(energyKwh))) {
            throw new IllegalArgumentException("--energy-kwh must be a number >= 0, got " + energyKwh);
        }
        Schedule schedule;
        String sourceName;
        List<Forecast> forecasts = new ArrayList<>();
        try (ForecastSource source = forecastOptions.open(environment)) {
            sourceName = source.name();
            for (String region : request.regions()) {
                forecasts.add(source.forecast(request.query(region)));
            }
        }
        if (saveForecast != null) {
            // Written before the search, so a forecast that falls short of the window is still recorded.
            String csv = ForecastFile.toCsv(List.of("forecast recorded by verdant schedule from " + sourceName + " at "
                    + clock.instant().truncatedTo(ChronoUnit.SECONDS) + "; check the provider's terms before sharing it"), forecasts);
            AtomicFiles.write(saveForecast, csv.getBytes(StandardCharsets.UTF_8), files.inputArray());
        }
        schedule = BestWindowSearch.search(request, forecasts);
        output.print(toJson(schedule, forecasts, sourceName, energyKwh),
                out -> printText(out, schedule, sourceName, energyKwh, from == null));
        return ExitCode.OK;
    }

    /** The request the options describe; shared with {@code verdant run}. */
    static ScheduleRequest request(String duration, String within, String from, List<String> regions, Clock clock) {
        Duration job = DurationText.parse(duration);
        Duration window = DurationText.parse(within);
        Instant start = from == null ? clock.instant().truncatedTo(ChronoUnit.SECONDS) : parseInstant(from);
        List<String> cleaned = new ArrayList<>();
        for (String r : regions) {
            cleaned.add(r.strip());
        }
        return ScheduleRequest.within(job, start, window, cleaned);
    }

    static Instant parseInstant(String text) {
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--from must be an ISO-8601 UTC time such as 2026-11-23T00:00:00Z, got '" + text + "'", e);
        }
    }

    /**
     * The result as JSON: the windows, and each region's forecast points over the allowed window, so that
     * {@code verdant report} can draw the curve the choice was made on.
     */
    static Map<String, Object> toJson(Schedule s, List<Forecast> forecasts, String source, Double energyKwh) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("region", s.best().region());
        m.put("start", s.best().start().toString());
        m.put("end", s.best().end().toString());
        m.put("average_intensity", s.best().averageIntensity().gramsPerKilowattHour());
        m.put("intensity_unit", "gCO2e/kWh");
        m.put("saving_percent", s.savingPercent());
        m.put("now", window(s.runNow()));
        if (energyKwh != null) {
            m.put("energy_kwh", energyKwh);
            Energy energy = Energy.ofKilowattHours(energyKwh);
            m.put("expected_emissions_g", s.best().emissions(energy).grams());
            m.put("now_emissions_g", s.runNow().emissions(energy).grams());
            m.put("avoided_emissions_g", s.avoided(energy).grams());
        }
        List<Object> regions = new ArrayList<>();
        for (Schedule.RegionWindows r : s.regions()) {
            Map<String, Object> rm = new LinkedHashMap<>();
            rm.put("region", r.region());
            rm.put("best", window(r.best()));
            rm.put("now", window(r.now()));
            List<Object> points = new ArrayList<>();
            for (Forecast forecast : forecasts) {
                if (!forecast.region().equals(r.region())) {
                    continue;
                }
                for (ForecastPoint point : forecast.points()) {
                    if (point.end().isAfter(s.request().from()) && point.start().isBefore(s.request().to())) {
                        Map<String, Object> pm = new LinkedHashMap<>();
                        pm.put("start", point.start().toString());
                        pm.put("end", point.end().toString());
                        pm.put("intensity", point.intensity().gramsPerKilowattHour());
                        points.add(pm);
                    }
                }
            }
            rm.put("forecast", points);
            regions.add(rm);
        }
        m.put("regions", regions);
        m.put("duration_seconds", s.request().jobDuration().toSeconds());
        m.put("window_start", s.request().from().toString());
        m.put("window_end", s.request().to().toString());
        m.put("forecast_source", source);
        return m;
    }

    private static Map<String, Object> window(Window w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("region", w.region());
        m.put("start", w.start().toString());
        m.put("end", w.end().toString());
        m.put("average_intensity", w.averageIntensity().gramsPerKilowattHour());
        return m;
    }

    private static void printText(PrintWriter out, Schedule s, String source, Double energyKwh, boolean fromNow) {
        Window best = s.best();
        Window runNow = s.runNow();
        Duration wait = Duration.between(s.request().from(), best.start());
        String when = wait.isZero() ? (fromNow ? "now" : "at --from") : fromNow ? "in " + DurationText.format(wait)
                : DurationText.format(wait) + " after --from";
        out.printf(Locale.ROOT, "Best window: %s, %s to %s (starts %s), %.1f gCO2e/kWh on average%n",
                best.region(), best.start(), best.end(), when, best.averageIntensity().gramsPerKilowattHour());
        out.printf(Locale.ROOT, "Run now:     %s, %s to %s, %.1f gCO2e/kWh on average%n",
                runNow.region(), runNow.start(), runNow.end(), runNow.averageIntensity().gramsPerKilowattHour());
        out.printf(Locale.ROOT, "Saving:      %.1f%% lower carbon intensity than running now in %s%n", s.savingPercent(), runNow.region());
        if (energyKwh != null) {
            out.printf(Locale.ROOT, "Emissions:   %s kWh -> %.1f g CO2e in the best window vs %.1f g now (%.1f g avoided)%n",
                    energyKwh, best.emissions(Energy.ofKilowattHours(energyKwh)).grams(),
                    runNow.emissions(Energy.ofKilowattHours(energyKwh)).grams(), s.avoided(Energy.ofKilowattHours(energyKwh)).grams());
        }
        if (s.regions().size() > 1) {
            out.println();
            out.printf(Locale.ROOT, "%-12s %-22s %12s %12s%n", "region", "best start", "best g/kWh", "now g/kWh");
            for (Schedule.RegionWindows r : s.regions()) {
                out.printf(Locale.ROOT, "%-12s %-22s %12.1f %12.1f%n", r.region(), r.best().start(),
                        r.best().averageIntensity().gramsPerKilowattHour(), r.now().averageIntensity().gramsPerKilowattHour());
            }
        }
        out.printf(Locale.ROOT, "(job %s within %s to %s; forecast: %s; times UTC)%n",
                DurationText.format(s.request().jobDuration()), s.request().from(), s.request().to(), source);
    }
}
