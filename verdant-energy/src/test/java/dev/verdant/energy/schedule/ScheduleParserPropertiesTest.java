package dev.verdant.energy.schedule;

import static dev.verdant.io.ParserProperties.parsesOrRefuses;
import static org.assertj.core.api.Assertions.assertThat;

import dev.verdant.io.Mutations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The schedule's parsers on any input: {@link DurationText} a duration within its bounds or one line; a forecast
 * file ({@link ForecastFile}, CSV or JSON) its regions or one line.
 */
class ScheduleParserPropertiesTest {

    private static final String CSV = """
            # source: test
            region,time,intensity_g_per_kwh
            DE,2026-11-23T00:00:00Z,400
            FR,2026-11-23T00:00:00Z,50.5
            DE,2026-11-23T01:00:00Z,350
            FR,2026-11-23T01:00:00Z,45
            """;
    private static final String JSON = """
            [{"region": "DE", "time": "2026-11-23T00:00:00Z", "intensity_g_per_kwh": 400},
             {"region": "DE", "time": "2026-11-23T01:00:00Z", "intensity_g_per_kwh": 350.5}]
            """;

    @Property(tries = 1000)
    void aDurationIsInBoundsOrOneLine(@ForAll("durations") String text) throws Exception {
        parsesOrRefuses(() -> DurationText.parse(text), IllegalArgumentException.class)
                .ifPresent(d -> assertThat(d).isBetween(Duration.ZERO, DurationText.MAX));
    }

    @Property(tries = 400)
    void aForecastFileReadsOrFailsOnOneLine(@ForAll("forecasts") byte[] content, @ForAll boolean json)
            throws Exception {
        Path file = Files.createTempFile("forecast", json ? ".json" : ".csv");
        try {
            Files.write(file, content);
            parsesOrRefuses(() -> ForecastFile.read(file), IOException.class, IllegalArgumentException.class)
                    .ifPresent(forecasts -> assertThat(forecasts.regions()).isNotEmpty().doesNotContain(""));
        } finally {
            Files.delete(file);
        }
    }

    /** Durations as people type them, mutated, and any text, on one line. */
    @Provide
    Arbitrary<String> durations() {
        Arbitrary<String> typed = Arbitraries.strings().withChars("0123456789.dhmspPtT-+:,eE ").ofMaxLength(24);
        return Mutations.optionValue(Arbitraries.oneOf(typed,
                Mutations.ofText(List.of("1h30m", "PT2H", "45s", "3650d", "P1DT2H")), Arbitraries.strings().ofMaxLength(24)));
    }

    @Provide
    Arbitrary<byte[]> forecasts() {
        return Arbitraries.oneOf(Mutations.ofBytes(List.of(CSV.getBytes(StandardCharsets.UTF_8),
                JSON.getBytes(StandardCharsets.UTF_8))), Mutations.randomBytes(200));
    }
}
