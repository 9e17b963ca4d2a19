package dev.verdant.energy.meter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verdant.energy.Component;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** NVML against a fake binding: a node of four GPUs, two Volta-or-newer with energy counters, two older. */
class NvmlMeterTest {

    /** A fake node whose counters and power the test moves by hand. */
    static final class FakeNvml implements NvmlBinding {
        final String[] names = {"Tesla V100-SXM2-16GB", "Tesla P100-PCIE-16GB", "NVIDIA A100-SXM4-40GB", "Tesla K80"};
        final String[] uuids = {"GPU-aaaa1111", "GPU-bbbb2222", "GPU-cccc3333", "GPU-dddd4444"};
        final boolean[] hasCounter = {true, false, true, false};
        final long[] energyMillijoules = {1_000_000, 0, 5_000_000, 0};
        final long[] powerMilliwatts = {250_000, 100_000, 300_000, 60_000};
        boolean closed;

        @Override
        public int deviceCount() {
            return names.length;
        }

        @Override
        public String name(int index) {
            return names[index];
        }

        @Override
        public String uuid(int index) {
            return uuids[index];
        }

        @Override
        public long totalEnergyMillijoules(int index) throws NvmlException {
            if (!hasCounter[index]) {
                throw new NvmlException(NvmlException.NOT_SUPPORTED, "no energy counter");
            }
            return energyMillijoules[index];
        }

        @Override
        public long powerMilliwatts(int index) {
            return powerMilliwatts[index];
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void countsOnlyTheGpusCudaVisibleDevicesAllows() throws Exception {
        FakeNvml nvml = new FakeNvml();
        AtomicLong clock = new AtomicLong();
        try (NvmlMeter meter = NvmlMeter.open(nvml, "2,0", clock::get)) {
            assertThat(meter.deviceNames()).containsExactly("NVIDIA A100-SXM4-40GB", "Tesla V100-SXM2-16GB");
            nvml.energyMillijoules[0] += 10_000;   // +10 J, visible
            nvml.energyMillijoules[2] += 30_000;   // +30 J, visible
            nvml.energyMillijoules[1] += 999_000;  // not visible: must not count
            assertThat(meter.read().get(Component.GPU).joules()).isEqualTo(40.0);
            assertThat(meter.assumptions()).anyMatch(a -> a.contains("counting 2 of 4 GPUs"));
        }
        assertThat(nvml.closed).isTrue();
    }

    @Test
    void olderGpusIntegrateSampledPowerAndNeverReportZero() throws Exception {
        FakeNvml nvml = new FakeNvml();
        AtomicLong clock = new AtomicLong();
        try (NvmlMeter meter = NvmlMeter.open(nvml, "GPU-bbbb", clock::get)) {
            assertThat(meter.deviceNames()).containsExactly("Tesla P100-PCIE-16GB");
            clock.set(2_000_000_000L);                       // 2 s at 100 W
            assertThat(meter.read().get(Component.GPU).joules()).isEqualTo(200.0);
            nvml.powerMilliwatts[1] = 200_000;               // ramps to 200 W over the next second
            clock.addAndGet(1_000_000_000L);
            assertThat(meter.read().get(Component.GPU).joules()).isEqualTo(350.0); // trapezoid: +150 J
            assertThat(meter.assumptions()).anyMatch(a -> a.contains("trapezoid"));
        }
    }

    @Test
    void withoutTheNvidiaDriverTheRealBindingSaysSoInOneSentence() {
        org.junit.jupiter.api.Assumptions.assumeFalse(java.nio.file.Files.exists(java.nio.file.Path.of("/proc/driver/nvidia")),
                "this machine has an NVIDIA driver");
        assertThatThrownBy(JnaNvmlBinding::load).isInstanceOf(MeterUnavailableException.class)
                .hasMessageContaining("libnvidia-ml");
    }

    @Test
    void anEmptyOrInvalidListHidesGpusAsCudaDoes() throws Exception {
        assertThatThrownBy(() -> NvmlMeter.open(new FakeNvml(), "", () -> 0))
                .isInstanceOf(MeterUnavailableException.class).hasMessageContaining("leaves none");
        try (NvmlMeter meter = NvmlMeter.open(new FakeNvml(), "3,7,0", () -> 0)) {
            // CUDA stops at the first index that names no device: 0 after 7 is not visible
            assertThat(meter.deviceNames()).containsExactly("Tesla K80");
        }
        assertThat(VisibleDevices.select(null, List.of("GPU-a", "GPU-b"))).containsExactly(0, 1);
        assertThat(VisibleDevices.select("-1", List.of("GPU-a", "GPU-b"))).isEmpty();
    }
}
