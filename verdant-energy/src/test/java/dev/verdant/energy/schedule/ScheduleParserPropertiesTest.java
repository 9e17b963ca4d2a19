package dev.verdant.energy.schedule;

import static dev.verdant.io.ParserProperties.forAll;
import static dev.verdant.io.ParserProperties.parsesOrRefuses;
import static org.assertj.core.api.Assertions.assertThat;

import dev.verdant.io.Mutations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.generators.Generate;

/**
 * The schedule's parsers on any input: {@link DurationText} a duration within its bounds or one line; a forecast
 * file ({@link ForecastFile}, CSV or JSON) its regions or one line.
 */
class ScheduleParserPropertiesTest {

    private static final String CSV = ForecastFileTest.TWO_REGIONS_CSV;
    private static final String JSON = """
            [{"region": "DE", "time": "2026-11-23T00:00:00Z", "intensity_g_per_kwh": 400},
             {"region": "DE", "time": "2026-11-23T01:00:00Z", "intensity_g_per_kwh": 350.5}]
            """;

    @TempDir
    Path dir;

    @Test
    void aDurationIsInBoundsOrOneLine() {
        // durations as people type them, mutated, and any text, on one line
        forAll(1000, Mutations.optionValue(Generate.oneOf(Mutations.textOf("0123456789.dhmspPtT-+:,eE ", 24),
                Mutations.ofText(List.of("1h30m", "PT2H", "45s", "3650d", "P1DT2H")), Mutations.anyText(24))),
                text -> parsesOrRefuses(() -> DurationText.parse(text), IllegalArgumentException.class)
                        .ifPresent(d -> assertThat(d).isBetween(Duration.ZERO, DurationText.MAX)));
    }

    @Test
    void aForecastFileReadsOrFailsOnOneLine() {
        Path csv = dir.resolve("forecast.csv");
        Path json = dir.resolve("forecast.json");
        forAll(400, Generate.oneOf(Mutations.ofBytes(List.of(CSV.getBytes(StandardCharsets.UTF_8),
                JSON.getBytes(StandardCharsets.UTF_8))), Mutations.randomBytes(200)), content -> {
                    // the same bytes under both names: the name picks the parser, the content may be the other's
                    for (Path file : List.of(csv, json)) {
                        Files.write(file, content);
                        parsesOrRefuses(() -> ForecastFile.read(file), IOException.class, IllegalArgumentException.class)
                                .ifPresent(forecasts -> assertThat(forecasts.regions()).isNotEmpty().doesNotContain(""));
                    }
                });
    }
}
