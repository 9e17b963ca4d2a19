package dev.verdant.energy.djl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdant.energy.Component;
import dev.verdant.energy.EnergyConfig;
import dev.verdant.energy.EnergyReport;
import dev.verdant.energy.Tracker;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listener driven through DJL's callbacks in the order a trainer calls them; it never reads the trainer, so
 * the test passes none rather than building an engine.
 */
class EnergyTrainingListenerTest {

    @TempDir
    Path noPowercap;

    @Test
    void reportsEachEpochAsItEndsAndTheTotalAtTheEnd() {
        Tracker tracker = Tracker.builder().config(EnergyConfig.builder().powercapRoots(List.of(noPowercap))
                .useGpu(false).build()).build();
        List<EnergyReport> seen = new ArrayList<>();
        EnergyTrainingListener listener = new EnergyTrainingListener(tracker, "mnist", seen::add);
        listener.onTrainingBegin(null);
        for (int epoch = 0; epoch < 3; epoch++) {
            long until = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() + 50_000_000L;
            double sink = 0;
            while (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() < until) {
                sink += Math.sqrt(sink + 1);
            }
            assertThat(sink).isPositive();
            listener.onEpoch(null);
        }
        assertThat(listener.trainingReport()).isNull();
        listener.onTrainingEnd(null);
        assertThat(seen).extracting(EnergyReport::name).containsExactly("mnist/epoch-1", "mnist/epoch-2", "mnist/epoch-3");
        assertThat(listener.epochReports()).isEqualTo(seen);
        EnergyReport total = listener.trainingReport();
        assertThat(total.tasks()).hasSize(3);
        double epochsJoules = seen.stream().mapToDouble(r -> r.energy(Component.CPU).joules()).sum();
        assertThat(total.energy(Component.CPU).joules()).isGreaterThanOrEqualTo(epochsJoules).isPositive();
    }
}
