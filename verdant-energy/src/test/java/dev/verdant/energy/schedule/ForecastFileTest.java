package dev.verdant.energy.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForecastFileTest {

    /** Two regions over two hours, with a comment line: the CSV forecast the parser tests start from. */
    static final String TWO_REGIONS_CSV = """
            # source: test
            region,time,intensity_g_per_kwh
            DE,2026-11-23T00:00:00Z,400
            FR,2026-11-23T00:00:00Z,50.5
            DE,2026-11-23T01:00:00Z,350
            FR,2026-11-23T01:00:00Z,45
            """;

    private static final Instant T0 = Instant.parse("2026-11-23T00:00:00Z");

    @TempDir
    Path dir;

    private ForecastQuery query(String region) {
        return new ForecastQuery(region, T0, T0.plus(Duration.ofHours(1)), Duration.ofMinutes(30));
    }

    @Test
    void readsCsvWithCommentsAndSeveralRegions() throws Exception {
        Path csv = Files.writeString(dir.resolve("f.csv"), TWO_REGIONS_CSV);
        try (ForecastFile file = ForecastFile.read(csv)) {
            assertThat(file.regions()).containsExactly("DE", "FR");
            Forecast fr = file.forecast(query("FR"));
            assertThat(fr.points()).extracting(p -> p.intensity().gramsPerKilowattHour()).containsExactly(50.5, 45.0);
            assertThat(fr.end()).isEqualTo(T0.plus(Duration.ofHours(2)));
            assertThatThrownBy(() -> file.forecast(query("PL")))
                    .isInstanceOf(ForecastException.class)
                    .hasMessageContaining("unknown region 'PL'")
                    .hasMessageContaining("DE, FR");
        }
    }

    @Test
    void csvAndJsonFormsReadTheSame() throws Exception {
        Forecast de = Forecast.fromSamples("DE", "x", List.of(T0, T0.plusSeconds(900), T0.plusSeconds(1800)), List.of(1.0, 2.5, 3.0), null);
        Path csv = Files.writeString(dir.resolve("a.csv"), ForecastFile.toCsv(List.of(de)));
        Path json = Files.writeString(dir.resolve("a.json"), """
                [{"region":"DE","time":"2026-11-23T00:00:00Z","intensity_g_per_kwh":1},
                 {"region":"DE","time":"2026-11-23T00:15:00Z","intensity_g_per_kwh":2.5},
                 {"region":"DE","time":"2026-11-23T00:30:00Z","intensity_g_per_kwh":3.0}]""");
        try (ForecastFile a = ForecastFile.read(csv); ForecastFile b = ForecastFile.read(json)) {
            assertThat(a.forecast(query("DE")).points()).isEqualTo(de.points()).isEqualTo(b.forecast(query("DE")).points());
        }
    }

    @Test
    void malformedFilesAreOneClearLine() throws IOException {
        assertRefused("bad-header.csv", "region,timestamp,value\nDE,2026-11-23T00:00:00Z,1\n", "expected the header");
        assertRefused("bad-time.csv", "region,time,intensity_g_per_kwh\nDE,yesterday,1\nDE,2026-11-23T00:00:00Z,1\n", "bad-time.csv:2: time 'yesterday'");
        assertRefused("bad-value.csv", "region,time,intensity_g_per_kwh\nDE,2026-11-23T00:00:00Z,lots\n", "is not a number");
        assertRefused("negative.csv", "region,time,intensity_g_per_kwh\nDE,2026-11-23T00:00:00Z,-3\n", ">= 0");
        assertRefused("cells.csv", "region,time,intensity_g_per_kwh\nDE,2026-11-23T00:00:00Z\n", "expected 3");
        assertRefused("single.csv", "region,time,intensity_g_per_kwh\nDE,2026-11-23T00:00:00Z,1\n", "single time");
        assertRefused("empty.csv", "", "empty");
        assertRefused("broken.json", "[{\"region\":", "not valid JSON");
        assertRefused("shape.json", "[{\"region\":\"DE\",\"time\":\"2026-11-23T00:00:00Z\",\"intensity_g_per_kwh\":\"high\"}]", "shape.json[0]");
    }

    private void assertRefused(String name, String text, String message) throws IOException {
        Path f = Files.writeString(dir.resolve(name), text);
        assertThatThrownBy(() -> ForecastFile.read(f))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(message)
                .message().doesNotContain("\n");
    }
}
