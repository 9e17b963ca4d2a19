package dev.verdant.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SciTest {

    @Test
    void sciIsOperationalPlusEmbodiedPerFunctionalUnit() {
        Sci sci = new Sci(0.5, 300, 20, 1000, "inference");
        assertThat(sci.operationalGrams()).isCloseTo(0.5 * 300, within(1e-12));
        assertThat(sci.totalGrams()).isCloseTo(0.5 * 300 + 20, within(1e-12));
        assertThat(sci.gramsPerUnit()).isCloseTo((0.5 * 300 + 20) / 1000, within(1e-15));
        assertThatThrownBy(() -> new Sci(1, 1, 0, 0, "x")).hasMessageContaining("functional unit");
        assertThatThrownBy(() -> new Sci(-1, 1, 0, 1, "x")).hasMessageContaining("energy");
    }

    @Test
    void embodiedEmissionsAreSpreadOverTheLifetimeAndShared() {
        EmbodiedEmissions server = EmbodiedEmissions.RACK_SERVER;
        double lifetimeHours = 4 * 365.25 * 24;
        assertThat(EmbodiedEmissions.YEAR.multipliedBy(4).toHours()).isEqualTo((long) lifetimeHours);
        assertThat(server.gramsPerHour()).isCloseTo(763.23 * 1000 / lifetimeHours, within(1e-9));
        // M = TE x (TR / EL) x (RR / ToR): 2 hours on a quarter of the machine.
        assertThat(server.gramsFor(Duration.ofHours(2), 0.25)).isCloseTo(763.23 * 1000 * 2 / lifetimeHours * 0.25, within(1e-9));
        assertThat(EmbodiedEmissions.NONE.gramsFor(Duration.ofHours(5), 1)).isZero();
        assertThat(EmbodiedEmissions.byName("rack-server")).isSameAs(server);
        assertThatThrownBy(() -> EmbodiedEmissions.byName("toaster")).hasMessageContaining("rack-server, none");
        assertThatThrownBy(() -> server.gramsFor(Duration.ofHours(1), 1.5)).hasMessageContaining("(0, 1]");
    }
}
