package dev.verdant.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.verdant.report.HeadlessChromium;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The emissions and schedule pages as HTML and as headless Chromium renders them. */
class ChartPagesTest {

    @TempDir
    Path dir;

    private String emissionsPage() throws Exception {
        List<RecordedRun> runs = new ArrayList<>(EmissionsCsv.read(ChartInputsTest.resource(dir, "emissions.csv"),
                ZoneOffset.UTC));
        return EmissionsPage.render(runs, List.of("emissions.csv"), ZoneOffset.UTC);
    }

    private String schedulePage() throws Exception {
        return SchedulePage.render(SchedulePlan.read(ChartInputsTest.resource(dir, "schedule.json")), "schedule.json");
    }

    @Test
    void theEmissionsPageDrawsEveryRunWithItsMethodAndFetchesNothing() throws Exception {
        String html = emissionsPage();
        assertThat(html).contains("<svg class=\"chart\"").contains("id='emissions-over-time'")
                .contains("id='energy-per-run'").contains("id='energy-per-project'")
                .contains("default-src 'none'").doesNotContain("<script").doesNotContain("src=")
                .doesNotContain("href='http").doesNotContain("url(http").doesNotContainPattern("<svg [^>]* width='");
        assertThat(html.split("<span class=\"badge estimated\">", -1)).hasSize(5); // four runs, each estimated
        assertThat(html).contains(">nightly<").contains(">training<").contains("0 measured, 4 estimated");
        // the projects are the legend's and the axis titles are drawn as text
        String chart = html.substring(html.indexOf("id='emissions-over-time'"), html.indexOf("</svg>",
                html.indexOf("id='emissions-over-time'")));
        assertThat(chart).contains(">nightly</text>").contains(">training</text>");
    }

    @Test
    void aMeasuredRunsPointIsFilledAndAnEstimatedOnesHollow() throws Exception {
        List<RecordedRun> estimated = EmissionsCsv.read(ChartInputsTest.resource(dir, "emissions.csv"), ZoneOffset.UTC);
        List<RecordedRun> measured = estimated.stream().map(r -> new RecordedRun(r.end(), r.project(), r.name(),
                r.runId(), r.durationSeconds(), r.energyJoules(), r.emissionsGrams(), "measured", r.where())).toList();
        // the first project's colour as a fill: each of its points when measured, and its legend marker, which
        // takes the look of the series' first point
        String fill = "fill:rgb(27,120,55)";
        long hollow = count(chart(EmissionsPage.render(estimated, List.of("e.csv"), ZoneOffset.UTC)), fill);
        long filled = count(chart(EmissionsPage.render(measured, List.of("e.csv"), ZoneOffset.UTC)), fill);
        long nightlyRuns = estimated.stream().filter(r -> r.project().equals("nightly")).count();
        assertThat(filled - hollow).isEqualTo(nightlyRuns + 1);
    }

    private static String chart(String html) {
        int at = html.indexOf("id='emissions-over-time'");
        return html.substring(at, html.indexOf("</svg>", at));
    }

    private static long count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    @Test
    void theSchedulePageShadesTheChosenWindowOverTheForecast() throws Exception {
        String html = schedulePage();
        assertThat(html).contains("id='forecast-chart'").contains("chosen: FR, 53.17 g/kWh").contains("run now")
                .contains("85.1% lower carbon intensity than running now")
                .contains("Chosen: FR, 2026-11-23 23:00 to 2026-11-24 00:30 UTC");
        // the shaded chosen window: a rectangle in the chosen colour with its transparency
        assertThat(html).containsPattern("<rect [^>]*style='fill:rgb\\(27,120,55\\);fill-opacity:0\\.18");
    }

    @Test
    void bothPagesRenderInHeadlessChromiumWithNoConsoleMessage() throws Exception {
        assumeTrue(Files.isExecutable(HeadlessChromium.DEBIAN_CHROMIUM),
                "headless Chromium not installed (apt-get install chromium chromium-driver); browser check skipped");
        HeadlessChromium chromium = new HeadlessChromium(HeadlessChromium.DEBIAN_CHROMIUM, dir);
        for (String name : List.of("emissions", "schedule")) {
            Path page = Files.writeString(dir.resolve(name + ".html"),
                    name.equals("emissions") ? emissionsPage() : schedulePage(), StandardCharsets.UTF_8);
            HeadlessChromium.PageLoad load = chromium.load(page);
            assertThat(load.consoleMessages()).as(name + ": console messages (errors, CSP violations)").isEmpty();
            assertThat(load.dom()).contains("<svg class=\"chart\"");
            Path png = dir.resolve(name + ".png");
            chromium.screenshot(page, png, 1200, 1600);
            try (InputStream in = Files.newInputStream(png)) {
                assertThat(in.readNBytes(8)).containsExactly(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
            }
            assertThat(Files.size(png)).as(name).isGreaterThan(40_000); // a drawn page, not a blank one
        }
    }
}
