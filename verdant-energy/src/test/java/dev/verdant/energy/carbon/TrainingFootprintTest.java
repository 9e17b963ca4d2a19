package dev.verdant.energy.carbon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.verdant.energy.CarbonIntensity;
import dev.verdant.energy.Power;
import dev.verdant.energy.meter.AcceleratorPowerTable;
import org.junit.jupiter.api.Test;

class TrainingFootprintTest {

    /** GPT-3 as Patterson et al. 2021 (Table 4) describe it: 10,000 V100s, 14.8 days, 330 W, PUE 1.10, 429 g/kWh. */
    private static TrainingFootprint gpt3(double offset) {
        return new TrainingFootprint(14.8 * 24, 10_000, Power.ofWatts(330), 1.1,
                CarbonIntensity.ofGramsPerKilowattHour(429), offset);
    }

    @Test
    void reproducesPattersonsGpt3Figures() {
        TrainingFootprint footprint = gpt3(0);
        double expectedMwh = 14.8 * 24 * 10_000 * 330 * 1.1 / 1e6;
        assertThat(footprint.energy().megawattHours()).isCloseTo(expectedMwh, within(1e-6));
        // the paper reports 1,287 MWh and 552 tCO2e (it rounds its inputs); agree within 0.5 %
        assertThat(footprint.energy().megawattHours()).isCloseTo(1_287, within(1_287 * 0.005));
        assertThat(footprint.grossEmissions().tonnes()).isCloseTo(552, within(552 * 0.005));
        assertThat(footprint.netEmissions()).isEqualTo(footprint.grossEmissions());
    }

    @Test
    void anOffsetReducesNetEmissionsOnly() {
        TrainingFootprint footprint = gpt3(0.25);
        assertThat(footprint.netEmissions().tonnes()).isCloseTo(footprint.grossEmissions().tonnes() * 0.75, within(1e-9));
    }

    @Test
    void nonsenseInputsAreRefusedWithTheirValue() {
        assertThatThrownBy(() -> new TrainingFootprint(-1, 1, Power.ofWatts(1), 1, CarbonIntensity.ofGramsPerKilowattHour(1), 0))
                .hasMessageContaining("-1.0 h");
        assertThatThrownBy(() -> new TrainingFootprint(1, 1, Power.ofWatts(1), 0.9, CarbonIntensity.ofGramsPerKilowattHour(1), 0))
                .hasMessageContaining("PUE");
        assertThatThrownBy(() -> new TrainingFootprint(1, 1, Power.ofWatts(1), 1, CarbonIntensity.ofGramsPerKilowattHour(1), 2))
                .hasMessageContaining("offset");
    }

    @Test
    void acceleratorNamesResolveAsUsersTypeThem() {
        AcceleratorPowerTable table = AcceleratorPowerTable.builtIn();
        assertThat(table.lookup("v100").orElseThrow().power().watts()).isEqualTo(330.0);
        assertThat(table.lookup("TPU v3").orElseThrow().figure()).isEqualTo("tdp");
        assertThat(table.lookup("NVIDIA A100-PCIe").orElseThrow().power().watts()).isEqualTo(250.0);
        assertThat(table.lookup("H100").orElseThrow().source()).contains("datasheet");
        assertThat(table.lookup("Z9000")).isEmpty();
    }
}
