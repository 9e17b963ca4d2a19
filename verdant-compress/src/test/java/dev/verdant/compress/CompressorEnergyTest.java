package dev.verdant.compress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The energy check runs each model long enough for the energy counters' tick to matter little. */
class CompressorEnergyTest {

    @Test
    void fastWorkRunsUntilTheMinimumTimeHasPassed() {
        AtomicLong calls = new AtomicLong();
        long start = System.nanoTime();
        long runs = Compressor.repeat(calls::incrementAndGet, 8, 50_000_000L);
        long elapsed = System.nanoTime() - start;
        assertThat(runs).isEqualTo(calls.get()).isGreaterThan(8);
        assertThat(elapsed).isGreaterThanOrEqualTo(50_000_000L);
    }

    @Test
    void slowWorkStillRunsTheMinimumNumberOfTimes() {
        AtomicLong calls = new AtomicLong();
        assertThat(Compressor.repeat(calls::incrementAndGet, 8, 0)).isEqualTo(8);
        assertThat(calls.get()).isEqualTo(8);
    }

    @Test
    void theMinimumTimeIsLongAgainstTheTenMillisecondProcClock() {
        // the CPU-time estimate reads /proc in 10 ms ticks: one tick must be at most 1 % of a model's reading
        assertThat(Compressor.ENERGY_MIN_NANOS).isGreaterThanOrEqualTo(100 * 10_000_000L);
    }
}
