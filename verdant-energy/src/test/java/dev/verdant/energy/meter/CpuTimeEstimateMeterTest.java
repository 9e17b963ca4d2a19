package dev.verdant.energy.meter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.verdant.energy.Component;
import dev.verdant.energy.Method;
import dev.verdant.energy.Power;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The estimate on a modelled VM: 2 vCPUs of a 96-core EPYC 9654 host with 1.5 TB of RAM. */
class CpuTimeEstimateMeterTest {

    @TempDir
    Path proc;

    private void process(long pid, long parent, long cpuTicks, long rssPages) throws IOException {
        Path dir = Files.createDirectories(proc.resolve(Long.toString(pid)));
        Files.writeString(dir.resolve("stat"), pid + " (java) S " + parent
                + " 0 0 0 0 0 0 0 0 0 " + cpuTicks + " 0 0 0 0 0 0 0 0 0 " + rssPages + " 0 0");
    }

    @Test
    void chargesTheWorkForItsCpuSecondsAndResidentMemoryNotTheWholeHost() throws IOException {
        long twoGigabytes = 2_000_000_000L / ProcessTree.PAGE_BYTES;
        process(100, 1, 0, twoGigabytes);
        CpuPowerTable.CpuPower host = CpuPowerTable.builtIn().lookup("AMD EPYC 9654 96-Core Processor", 25).orElseThrow();
        AtomicLong clock = new AtomicLong();
        ProcessTree tree = new ProcessTree(proc, SysFiles.REAL, 100, 100);
        try (CpuTimeEstimateMeter meter = new CpuTimeEstimateMeter(tree, host.perThread(), 0.375,
                EnumSet.of(Component.CPU, Component.RAM), List.of("test host"), clock::get, false)) {
            process(100, 1, 1_000, twoGigabytes);   // 10 CPU seconds (both vCPUs half busy) ...
            clock.set(10_000_000_000L);             // ... over 10 s
            var energy = meter.read();
            // 10 s x 360 W / 192 threads = 18.75 J; CodeCarbon's 85 W fallback would have said 850 J
            assertThat(energy.get(Component.CPU).joules()).isCloseTo(18.75, within(1e-9));
            // 2 GB resident x 0.375 W/GB x 10 s = 7.5 J; charging 1.5 TB installed would have said 5,625 J
            assertThat(energy.get(Component.RAM).joules()).isCloseTo(7.5, within(1e-5)); // whole pages: 1,999,998,976 B
            assertThat(meter.method()).isEqualTo(Method.ESTIMATED);
            assertThat(meter.resolution()).isEqualTo("one 10 ms CPU tick");
            assertThat(meter.assumptions()).contains("test host")
                    .anyMatch(a -> a.contains("idle power of the machine not attributed"))
                    .anyMatch(a -> a.contains("installed RAM is not charged"));
        }
    }

    @Test
    void runsForRealOnThisMachineAndRisesWithCpuWork() {
        ProcessTree tree = ProcessTree.ofCurrentProcess();
        try (CpuTimeEstimateMeter meter = new CpuTimeEstimateMeter(tree, Power.ofWatts(2), 0.375,
                EnumSet.of(Component.CPU, Component.RAM), List.of(), System::nanoTime, false)) {
            // burn 300 ms of this thread's CPU time (not wall time: the machine may be shared)
            var threads = java.lang.management.ManagementFactory.getThreadMXBean();
            double sink = 0;
            long until = threads.getCurrentThreadCpuTime() + 300_000_000L;
            while (threads.getCurrentThreadCpuTime() < until) {
                for (int i = 0; i < 10_000; i++) {
                    sink += Math.sqrt(sink + 1);
                }
            }
            var energy = meter.read();
            assertThat(sink).isPositive();
            assertThat(meter.cpuSeconds()).isGreaterThanOrEqualTo(0.25); // /proc counts in 10 ms ticks
            assertThat(energy.get(Component.CPU).joules()).isCloseTo(meter.cpuSeconds() * 2, within(1e-9));
            assertThat(energy.get(Component.RAM).joules()).isPositive();
        }
    }
}
