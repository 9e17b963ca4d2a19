package dev.verdant.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdant.io.Json;
import org.junit.jupiter.api.Test;

/**
 * A real {@code verdant track --json} result (a shell counting to 300,000, tracked with {@code --country FR}):
 * it reads back as the same {@link Result}, and {@code verdant report} shows its energy, CO2e and method.
 */
class TrackResultTest {

    private static final String RESULT = "track-busy-shell.json";

    @Test
    void aTrackResultRoundTrips() {
        Result result = ReportJson.parseResult(ReportFixtures.text(RESULT), RESULT);

        assertThat(result.kind()).isEqualTo(Result.TRACK);
        assertThat(result.schemaVersion()).isEqualTo(Result.SCHEMA_VERSION);
        assertThat(result.compression()).isNull();
        assertThat(result.bench()).isNull();
        assertThat(result.search()).isNull();
        Tracked tracked = result.tracked();
        assertThat(tracked.command()).startsWith("sh", "-c");
        assertThat(tracked.exitCode()).isZero();
        assertThat(tracked.components()).containsKeys("cpu", "ram");
        assertThat(tracked.energyJ()).isPositive();
        assertThat(tracked.grid().key()).isEqualTo("FR");
        assertThat(result.energy().gridGramsPerKilowattHour()).isPositive();
        assertThat(result.energy().assumptions()).isNotEmpty();
        assertThat(result.machine().logicalCpus()).isPositive();
        String written = ReportJson.write(result);
        assertThat(ReportJson.parseResult(written, "written again")).isEqualTo(result);
        assertThat(Json.write(result)).isEqualTo(written);
    }

    @Test
    void aTrackResultReadsAsAPageOfItsEnergyCo2eAndMethod() {
        Result result = ReportJson.parseResult(ReportFixtures.text(RESULT), RESULT);
        Report report = ReportJson.parse(ReportFixtures.text(RESULT), RESULT);

        assertThat(report.title()).startsWith("verdant track: sh -c");
        assertThat(report.run()).isEqualTo(result.run());
        assertThat(report.machine()).isEqualTo(result.machine());
        assertThat(report.energy()).isEqualTo(result.energy());
        assertThat(report.candidates()).isEmpty();
        assertThat(report.findings()).hasSize(3);
        assertThat(report.findings().get(0)).contains("(exit 0) used ").contains(" J (");
        assertThat(report.findings().get(1)).startsWith("emissions: ").endsWith(" g CO2e");
        assertThat(report.findings().get(2)).isEqualTo("method: " + result.energy().method()
                + " (the command's process tree)");
        assertThat(HtmlReport.render(report)).contains("verdant track: sh -c").contains("emissions: ");
    }
}
