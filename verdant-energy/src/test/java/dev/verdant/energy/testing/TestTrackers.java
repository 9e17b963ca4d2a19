package dev.verdant.energy.testing;

import dev.verdant.energy.EnergyConfig;
import dev.verdant.energy.Tracker;
import dev.verdant.energy.sink.EnergySink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Trackers for the tests of the sinks: the estimate (no RAPL, no GPU), Germany's grid, a sample every 20 ms. */
public final class TestTrackers {

    private TestTrackers() {
    }

    /** A tracker that estimates, with {@code noPowercap} an empty folder standing for the machine's powercap. */
    public static Tracker estimating(Path noPowercap, EnergySink sink) {
        return Tracker.builder().sink(sink).config(EnergyConfig.builder().powercapRoots(List.of(noPowercap))
                .useGpu(false).country("DE").sampleInterval(Duration.ofMillis(20)).build()).build();
    }

    /** Keeps the CPU busy for about {@code millis}, so that the estimate registers something. */
    public static void busy(long millis) {
        long until = System.nanoTime() + millis * 1_000_000;
        double x = 0;
        while (System.nanoTime() < until) {
            x += Math.sqrt(x + 1);
        }
        if (x < 0) {
            throw new AssertionError("unreachable: keeps the loop from being optimized away");
        }
    }
}
