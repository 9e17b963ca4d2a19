package dev.verdant.energy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class UnitsTest {

    @Test
    void oneKilowattHourIsExactly3point6MegaJoules() {
        assertThat(Energy.ofKilowattHours(1).joules()).isEqualTo(3.6e6);
        assertThat(Energy.ofJoules(3.6e6).kilowattHours()).isEqualTo(1.0);
        assertThat(Energy.ofWattHours(1).joules()).isEqualTo(3_600.0);
        assertThat(Energy.ofKilowattHours(2.5).megawattHours()).isEqualTo(0.0025);
        assertThat(Energy.ofMillijoules(1_500).joules()).isEqualTo(1.5);
        assertThat(Energy.ofMicrojoules(2_000_000).joules()).isEqualTo(2.0);
    }

    @Test
    void powerAndEnergyConvertThroughTime() {
        assertThat(Power.ofWatts(100).over(36).wattHours()).isEqualTo(1.0);
        assertThat(Power.averageOf(Energy.ofJoules(500), 10).watts()).isEqualTo(50.0);
        assertThat(Power.averageOf(Energy.ofJoules(500), 0)).isEqualTo(Power.ZERO);
        assertThat(Power.ofMilliwatts(70_000).watts()).isEqualTo(70.0);
    }

    @Test
    void emissionsAreEnergyTimesIntensity() {
        CarbonIntensity grid = CarbonIntensity.ofGramsPerKilowattHour(429);
        assertThat(grid.emissionsOf(Energy.ofKilowattHours(10)).grams()).isEqualTo(4_290.0);
        assertThat(grid.emissionsOf(Energy.ofKilowattHours(1_000)).kilograms()).isCloseTo(429.0, within(1e-9));
        assertThat(CarbonIntensity.ofKilogramsPerKilowattHour(0.056).gramsPerKilowattHour()).isCloseTo(56.0, within(1e-12));
        assertThat(Co2e.ofTonnes(1).kilograms()).isEqualTo(1_000.0);
    }

    @Test
    void counterDifferencesNeverGoNegative() {
        assertThat(Energy.ofJoules(5).minus(Energy.ofJoules(7))).isEqualTo(Energy.ZERO);
    }

    @Test
    void negativeOrNonFiniteQuantitiesAreRejected() {
        assertThatThrownBy(() -> Energy.ofJoules(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("non-negative");
        assertThatThrownBy(() -> Power.ofWatts(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CarbonIntensity.ofGramsPerKilowattHour(-3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void methodsCombineToTheWeakerOne() {
        assertThat(Method.MEASURED.and(Method.ESTIMATED)).isEqualTo(Method.ESTIMATED);
        assertThat(Method.MEASURED.and(Method.MEASURED)).isEqualTo(Method.MEASURED);
    }

    @Test
    void quantitiesPrintWithSiPrefixes() {
        assertThat(Energy.ofJoules(1250).toString()).isEqualTo("1.25 kJ");
        assertThat(Power.ofWatts(0.5).toString()).isEqualTo("500 mW");
        assertThat(Energy.ofKilowattHours(169).inWattHours()).isEqualTo("169 kWh");
        assertThat(Energy.ofKilowattHours(1_287_000).inWattHours()).isEqualTo("1.29 GWh");
        assertThat(Co2e.ofKilograms(17.4).toString()).isEqualTo("17.4 kgCO2e");
        assertThat(Co2e.ofTonnes(552).toString()).isEqualTo("552 tCO2e");
        assertThat(Co2e.ofGrams(0.42).toString()).isEqualTo("420 mgCO2e");
    }
}
