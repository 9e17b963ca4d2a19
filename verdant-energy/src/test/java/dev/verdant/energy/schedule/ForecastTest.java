package dev.verdant.energy.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForecastTest {

    private static final Instant T0 = Instant.parse("2026-11-23T00:00:00Z");

    private static Instant at(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    @Test
    void averagesWeighEachIntervalByTheTimeInsideTheSpan() {
        Forecast f = Forecast.fromSamples("DE", "test", List.of(at(0), at(30), at(60)), List.of(100.0, 300.0, 200.0), null);

        assertThat(f.end()).isEqualTo(at(90));
        assertThat(f.averageIntensity(at(0), at(90)).gramsPerKilowattHour()).isCloseTo((100 + 300 + 200) / 3.0, within(1e-12));
        // 10 minutes of 100, 30 of 300, 5 of 200.
        assertThat(f.averageIntensity(at(20), at(65)).gramsPerKilowattHour()).isCloseTo((10 * 100 + 30 * 300 + 5 * 200) / 45.0, within(1e-12));
        assertThat(f.averageIntensity(at(31), at(32)).gramsPerKilowattHour()).isCloseTo(300, within(1e-12));
        assertThat(f.intensityAt(at(30)).orElseThrow().gramsPerKilowattHour()).isEqualTo(300);
        assertThat(f.intensityAt(at(90))).isEmpty();
    }

    @Test
    void samplesMayArriveInAnyOrder() {
        Forecast f = Forecast.fromSamples("DE", "test", List.of(at(60), at(0), at(30)), List.of(200.0, 100.0, 300.0), Duration.ofMinutes(10));
        assertThat(f.points()).extracting(p -> p.intensity().gramsPerKilowattHour()).containsExactly(100.0, 300.0, 200.0);
        assertThat(f.end()).isEqualTo(at(70));
    }

    @Test
    void coverageNamesWhatIsMissing() {
        Forecast gappy = new Forecast("FR", "test", List.of(
                ForecastPoint.of(at(0), Duration.ofMinutes(30), 50),
                ForecastPoint.of(at(60), Duration.ofMinutes(30), 60)));

        assertThat(gappy.covers(at(0), at(30))).isTrue();
        assertThat(gappy.covers(at(60), at(90))).isTrue();
        assertThat(gappy.covers(at(10), at(70))).isFalse();
        assertThatThrownBy(() -> gappy.requireCovers(at(10), at(70)))
                .isInstanceOf(ForecastException.class)
                .hasMessageContaining("gap from 2026-11-23T00:30:00Z to 2026-11-23T01:00:00Z");
        assertThatThrownBy(() -> gappy.requireCovers(at(40), at(70))).hasMessageContaining("no value at");
        assertThatThrownBy(() -> gappy.requireCovers(at(60), at(100))).hasMessageContaining("ends at");
        assertThatThrownBy(() -> gappy.averageIntensity(at(10), at(70)).gramsPerKilowattHour()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badForecastsAreRefused() {
        assertThatThrownBy(() -> new Forecast("DE", "test", List.of(
                ForecastPoint.of(at(0), Duration.ofMinutes(60), 1), ForecastPoint.of(at(30), Duration.ofMinutes(60), 2))))
                .hasMessageContaining("overlapping");
        assertThatThrownBy(() -> Forecast.fromSamples("DE", "test", List.of(at(0)), List.of(1.0), null))
                .hasMessageContaining("single time");
        assertThatThrownBy(() -> Forecast.fromSamples("DE", "test", List.of(at(0), at(0)), List.of(1.0, 2.0), null))
                .hasMessageContaining("two values");
        assertThatThrownBy(() -> ForecastPoint.of(at(0), Duration.ofMinutes(5), -1)).hasMessageContaining(">= 0");
        assertThatThrownBy(() -> ForecastPoint.of(at(0), Duration.ZERO, 1)).hasMessageContaining("no length");
    }
}
