package dev.verdant.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyStatsTest {

    @Test
    void nearestRankPercentilesAreTimesSomeRunTook() {
        long[] nanos = new long[100];
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = (100 - i) * 1_000_000L; // 100 ms down to 1 ms, unsorted on purpose
        }
        LatencyStats stats = LatencyStats.ofNanos(nanos);
        assertThat(stats.p50Millis()).isEqualTo(50.0);
        assertThat(stats.p90Millis()).isEqualTo(90.0);
        assertThat(stats.p99Millis()).isEqualTo(99.0);
        assertThat(stats.minMillis()).isEqualTo(1.0);
        assertThat(stats.maxMillis()).isEqualTo(100.0);
        assertThat(stats.runs()).isEqualTo(100);
    }

    @Test
    void meanSpreadAndTotalMatchTheirDefinitions() {
        Random random = new Random(7);
        long[] nanos = new long[37];
        double sum = 0;
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = 1_000_000L + random.nextInt(5_000_000);
            sum += nanos[i];
        }
        double mean = sum / nanos.length;
        double squares = 0;
        for (long n : nanos) {
            squares += (n - mean) * (n - mean);
        }
        LatencyStats stats = LatencyStats.ofNanos(nanos);
        assertThat(stats.meanMillis()).isCloseTo(mean / 1e6, within(1e-9));
        assertThat(stats.stddevMillis()).isCloseTo(Math.sqrt(squares / (nanos.length - 1)) / 1e6, within(1e-9));
        assertThat(stats.totalSeconds()).isCloseTo(sum / 1e9, within(1e-12));
        assertThat(stats.p50Millis()).isBetween(stats.minMillis(), stats.p90Millis());
    }

    @Test
    void oneRunHasNoSpreadAndNoRunIsAnError() {
        LatencyStats one = LatencyStats.ofNanos(new long[] {2_500_000});
        assertThat(one.stddevMillis()).isZero();
        assertThat(one.p99Millis()).isEqualTo(2.5);
        assertThatThrownBy(() -> LatencyStats.ofNanos(new long[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LatencyStats.ofNanos(new long[] {-1})).isInstanceOf(IllegalArgumentException.class);
    }
}
