package dev.verdant.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report as a browser sees it: rendered in headless Chromium from a real bench result. */
class ChromiumReportTest {

    @TempDir
    Path dir;

    HeadlessChromium chromium;

    @BeforeEach
    void needsChromium() {
        assumeTrue(Files.isExecutable(HeadlessChromium.DEBIAN_CHROMIUM),
                "headless Chromium not installed (apt-get install chromium chromium-driver); browser check skipped");
        chromium = new HeadlessChromium(HeadlessChromium.DEBIAN_CHROMIUM, dir);
    }

    @Test
    void reportRendersWithItsChartsAndNoConsoleMessage() throws Exception {
        Report report = ReportFixtures.realBenchWithHostileName();
        Path page = Files.writeString(dir.resolve("report.html"), HtmlReport.render(report), StandardCharsets.UTF_8);

        HeadlessChromium.PageLoad load = chromium.load(page);

        assertThat(load.consoleMessages()).as("console messages (errors, CSP violations)").isEmpty();
        assertThat(load.dom()).contains("<svg id=\"pareto-chart\"").contains("<svg id=\"latency-bars\"")
                .contains("<svg id=\"energy-bars\"").contains("id=\"green-ai-card\"");
        long points = load.dom().split("<circle class=\"point", -1).length - 1;
        assertThat(points).isEqualTo(report.candidates().size());
        assertThat(load.dom()).contains("class=\"point front\"");
        // the hostile model name arrived as text, not as an element
        assertThat(load.dom()).contains("&lt;script&gt;").doesNotContain("<script>");

        Path png = dir.resolve("report.png");
        chromium.screenshot(page, png, 1200, 2200);
        try (InputStream in = Files.newInputStream(png)) {
            byte[] signature = in.readNBytes(8);
            assertThat(signature).containsExactly(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
        }
        assertThat(Files.size(png)).isGreaterThan(20_000);
    }

    /** The console check itself must see errors, or its silence above would prove nothing. */
    @Test
    void consoleCheckSeesScriptErrorsAndBlockedFetches() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.html"), """
                <!DOCTYPE html><html><head><meta charset="utf-8"><title>bad</title></head>
                <body><script>console.error("broken page"); notDefined();</script></body></html>
                """);
        HeadlessChromium.PageLoad load = chromium.load(bad);
        assertThat(String.join("\n", load.consoleMessages())).contains("broken page").contains("notDefined");
    }
}
