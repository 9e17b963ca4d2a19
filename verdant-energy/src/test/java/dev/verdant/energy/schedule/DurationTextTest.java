package dev.verdant.energy.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationTextTest {

    @Test
    void parsesTheFormsPeopleType() {
        assertThat(DurationText.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(DurationText.parse("90m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(DurationText.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(DurationText.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(DurationText.parse("45s")).isEqualTo(Duration.ofSeconds(45));
        assertThat(DurationText.parse("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(DurationText.parse("PT2H")).isEqualTo(Duration.ofHours(2));
        for (String bad : new String[] {"", "2", "h", "2x", "2h junk", "P"}) {
            assertThatThrownBy(() -> DurationText.parse(bad)).hasMessageContaining("not a duration");
        }
    }

    @Test
    void durationsBeyondTenYearsOrBelowZeroAreOneLineNotAnOverflow() {
        assertThat(DurationText.parse("3650d")).isEqualTo(DurationText.MAX);
        for (String huge : new String[] {"99999999999999h", "3651d", "PT99999999999999H", "1e400s".replace("e400", "0".repeat(400))}) {
            assertThatThrownBy(() -> DurationText.parse(huge)).as(huge).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("longer than 3650 days");
        }
        assertThatThrownBy(() -> DurationText.parse("PT-2H")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be negative");
    }

    @Test
    void formatsRoundTrip() {
        for (String s : new String[] {"2h", "1h30m", "45s", "1h0m5s".replace("0m", "")}) {
            assertThat(DurationText.format(DurationText.parse(s))).isEqualTo(s);
        }
    }
}
