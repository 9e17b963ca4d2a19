package dev.verdant.energy.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.verdant.energy.CarbonIntensity;
import dev.verdant.energy.Co2e;
import dev.verdant.energy.Energy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SciTest {

    @Test
    void sciIsOperationalPlusEmbodiedPerFunctionalUnit() {
        Sci sci = new Sci(kwh(0.5), gPerKwh(300), Co2e.ofGrams(20), 1000, "inference");
        assertThat(sci.operational().grams()).isCloseTo(0.5 * 300, within(1e-12));
        assertThat(sci.total().grams()).isCloseTo(0.5 * 300 + 20, within(1e-12));
        assertThat(sci.perUnit().grams()).isCloseTo((0.5 * 300 + 20) / 1000, within(1e-15));
        assertThatThrownBy(() -> new Sci(kwh(1), gPerKwh(1), Co2e.ZERO, 0, "x")).hasMessageContaining("functional unit");
        assertThatThrownBy(() -> new Sci(kwh(-1), gPerKwh(1), Co2e.ZERO, 1, "x")).hasMessageContaining("energy");
    }

    private static Energy kwh(double kilowattHours) {
        return Energy.ofKilowattHours(kilowattHours);
    }

    private static CarbonIntensity gPerKwh(double grams) {
        return CarbonIntensity.ofGramsPerKilowattHour(grams);
    }

    @Test
    void embodiedEmissionsAreSpreadOverTheLifetimeAndShared() {
        EmbodiedEmissions server = EmbodiedEmissions.RACK_SERVER;
        double lifetimeHours = 4 * 365.25 * 24;
        assertThat(EmbodiedEmissions.YEAR.multipliedBy(4).toHours()).isEqualTo((long) lifetimeHours);
        assertThat(server.perHour().grams()).isCloseTo(763.23 * 1000 / lifetimeHours, within(1e-9));
        // M = TE x (TR / EL) x (RR / ToR): 2 hours on a quarter of the machine.
        assertThat(server.shareFor(Duration.ofHours(2), 0.25).grams()).isCloseTo(763.23 * 1000 * 2 / lifetimeHours * 0.25, within(1e-9));
        assertThat(EmbodiedEmissions.NONE.shareFor(Duration.ofHours(5), 1).grams()).isZero();
        assertThat(EmbodiedEmissions.byName("rack-server")).isSameAs(server);
        assertThatThrownBy(() -> EmbodiedEmissions.byName("toaster")).hasMessageContaining("rack-server, none");
        assertThatThrownBy(() -> server.shareFor(Duration.ofHours(1), 1.5)).hasMessageContaining("(0, 1]");
    }
}
