package dev.verdant.compress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The energy check runs each model long enough for the energy counters' tick to matter little. */
class CompressorEnergyTest {

    @Test
    void theMinimumTimeIsLongAgainstTheTenMillisecondProcClock() {
        // the CPU-time estimate reads /proc in 10 ms ticks: one tick must be at most 1 % of a model's reading
        assertThat(Compressor.ENERGY_MIN_NANOS).isGreaterThanOrEqualTo(100 * 10_000_000L);
    }
}
