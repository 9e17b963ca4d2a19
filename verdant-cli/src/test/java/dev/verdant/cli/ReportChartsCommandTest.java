package dev.verdant.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdant.io.Json;
import dev.verdant.report.HeadlessChromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verdant report} on what {@code verdant track} and {@code verdant schedule} wrote. */
class ReportChartsCommandTest {

    @TempDir
    Path dir;

    @Test
    void emissionsCsvAndTrackJsonBecomePagesOfChartsAndAMalformedCsvNamesItsLineAndColumn() throws Exception {
        Path out = dir.resolve("runs");
        for (String project : List.of("alpha", "beta")) {
            CliRun run = CliRun.of("track", "--country", "FR", "--project", project, "--out", out.toString(), "--",
                    "sleep", "0.2");
            assertThat(run.exitCode()).as(run.err()).isZero();
        }
        Path csv = out.resolve("emissions.csv");
        CliRun report = CliRun.of("report", csv.toString(), "-o", dir.resolve("e.html").toString());
        assertThat(report.exitCode()).as(report.err()).isZero();
        assertThat(report.out()).contains("2 runs");
        String html = Files.readString(dir.resolve("e.html"));
        assertThat(html).contains("id='emissions-over-time'").contains(">alpha<").contains(">beta<");
        rendersInChromium(dir.resolve("e.html"));

        List<String> jsons;
        try (var files = Files.list(out)) {
            jsons = files.filter(p -> p.toString().endsWith(".json")).map(Path::toString).sorted().toList();
        }
        List<String> args = new ArrayList<>(List.of("report"));
        args.addAll(jsons);
        args.addAll(List.of("-o", dir.resolve("j.html").toString()));
        CliRun fromJson = CliRun.of(args.toArray(String[]::new));
        assertThat(fromJson.exitCode()).as(fromJson.err()).isZero();
        assertThat(Files.readString(dir.resolve("j.html"))).contains(">sleep<").contains("energy-per-project");

        List<String> lines = new ArrayList<>(Files.readAllLines(csv));
        lines.set(2, lines.get(2).replaceFirst("^([^,]*,[^,]*,[^,]*,[^,]*,)[^,]*", "$1soon"));
        Path bad = Files.write(dir.resolve("bad.csv"), lines);
        CliRun refused = CliRun.of("report", bad.toString(), "-o", dir.resolve("bad.html").toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err().strip()).isEqualTo("verdant: " + bad + " line 3, column 5 (duration): 'soon' is not a number");
        assertThat(dir.resolve("bad.html")).doesNotExist();
    }

    /** The page as written loads in headless Chromium with its charts and no console message, when installed. */
    private void rendersInChromium(Path page) throws Exception {
        if (!Files.isExecutable(HeadlessChromium.DEBIAN_CHROMIUM)) {
            return; // verdant-charts' ChartPagesTest skips naming the package; the page's content is checked above
        }
        HeadlessChromium.PageLoad load = new HeadlessChromium(HeadlessChromium.DEBIAN_CHROMIUM,
                Files.createDirectories(dir.resolve("chromium"))).load(page);
        assertThat(load.consoleMessages()).as(page + ": console messages").isEmpty();
        assertThat(load.dom()).contains("<svg class=\"chart\"");
    }

    @Test
    void aScheduleJsonBecomesItsForecastWithTheChosenWindow() throws Exception {
        Instant t0 = Instant.parse("2026-11-23T00:00:00Z");
        StringBuilder forecast = new StringBuilder("region,time,intensity_g_per_kwh\n");
        double[] de = {400, 380, 300, 250, 260, 350, 420, 450};
        double[] fr = {90, 80, 70, 60, 65, 75, 85, 95};
        for (int h = 0; h < de.length; h++) {
            forecast.append("DE,").append(t0.plusSeconds(3600L * h)).append(',').append(de[h]).append('\n');
            forecast.append("FR,").append(t0.plusSeconds(3600L * h)).append(',').append(fr[h]).append('\n');
        }
        Path forecastFile = Files.writeString(dir.resolve("forecast.csv"), forecast);
        CliRun schedule = CliRun.of("schedule", "--duration", "2h", "--within", "8h", "--from", t0.toString(),
                "--region", "DE,FR", "--forecast", forecastFile.toString(), "--json");
        assertThat(schedule.exitCode()).as(schedule.err()).isZero();
        var json = Json.mapper().readTree(schedule.out());
        assertThat(json.get("regions").get(0).get("forecast")).hasSize(8);
        Path scheduleJson = Files.writeString(dir.resolve("schedule.json"), schedule.out());

        CliRun report = CliRun.of("report", scheduleJson.toString(), "-o", dir.resolve("s.html").toString());
        assertThat(report.exitCode()).as(report.err()).isZero();
        String html = Files.readString(dir.resolve("s.html"));
        rendersInChromium(dir.resolve("s.html"));
        assertThat(html).contains("id='forecast-chart'").contains("Chosen: FR, 2026-11-23 03:00 to 2026-11-23 05:00 UTC")
                .contains("chosen: FR, 62.50 g/kWh");
        CliRun mixed = CliRun.of("report", scheduleJson.toString(), scheduleJson.toString(), "-o",
                dir.resolve("m.html").toString());
        assertThat(mixed.exitCode()).isEqualTo(2);
        assertThat(mixed.err()).contains("give one results or schedule JSON");
    }
}
