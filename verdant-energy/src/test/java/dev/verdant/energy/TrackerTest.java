package dev.verdant.energy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.verdant.energy.sink.EnergySink;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tracker on this machine's real estimate path (an empty powercap root stands in for a VM without RAPL). */
class TrackerTest {

    @TempDir
    Path noPowercap;

    /** Collects what a tracker sends. */
    static final class RecordingSink implements EnergySink {
        final List<EnergySample> samples = new CopyOnWriteArrayList<>();
        final List<EnergyReport> reports = new CopyOnWriteArrayList<>();

        @Override
        public void onSample(EnergySample sample) {
            samples.add(sample);
        }

        @Override
        public void onReport(EnergyReport report) {
            reports.add(report);
        }
    }

    private EnergyConfig.Builder config() {
        return EnergyConfig.builder().powercapRoots(List.of(noPowercap)).useGpu(false).country("FR");
    }

    /** Burns this thread's CPU time (not wall time: the machine may be shared with other builds). */
    static double burnCpu(long millis) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double sink = 0;
        long until = threads.getCurrentThreadCpuTime() + millis * 1_000_000;
        while (threads.getCurrentThreadCpuTime() < until) {
            for (int i = 0; i < 10_000; i++) {
                sink += Math.sqrt(sink + 1);
            }
        }
        return sink;
    }

    @Test
    void aScopeMeasuresCpuWorkAndStatesEveryAssumption() {
        RecordingSink sink = new RecordingSink();
        Tracker tracker = Tracker.builder().config(config().sampleInterval(Duration.ofMillis(50)).build()).sink(sink).build();
        EnergyReport report;
        try (TrackedRun run = tracker.startRun("work")) {
            assertThat(burnCpu(400)).isPositive();
            assertThat(run.method()).isEqualTo(Method.ESTIMATED);
            assertThat(run.meterDescription()).isEqualTo("estimate (cpu, ram)");
            assertThat(run.itEnergySoFar().joules()).isPositive();
            report = run.stop();
            assertThat(run.stop()).isSameAs(report);
        }
        assertThat(sink.reports).containsExactly(report);
        assertThat(report.method()).isEqualTo(Method.ESTIMATED);
        assertThat(report.methods()).containsKeys(Component.CPU, Component.RAM).doesNotContainKey(Component.GPU);
        assertThat(report.energy(Component.CPU).joules()).isPositive();
        assertThat(report.trackingMode()).isEqualTo("process");
        assertThat(report.grid().key()).isEqualTo("FR");
        assertThat(java.util.UUID.fromString(report.runId()).version()).isEqualTo(4);
        assertThat(java.util.UUID.fromString(report.runId()).variant()).isEqualTo(2);
        assertThat(report.pue()).isEqualTo(1.0);
        assertThat(report.emissions().grams()).isCloseTo(
                report.totalEnergy().kilowattHours() * report.grid().intensity().gramsPerKilowattHour(), within(1e-12));
        assertThat(report.assumptions())
                .anyMatch(a -> a.startsWith("RAPL not used"))
                .anyMatch(a -> a.contains("per busy thread"))
                .anyMatch(a -> a.contains("carbon intensity") && a.contains("Ember"))
                .anyMatch(a -> a.startsWith("PUE 1.00"));
        assertThat(sink.samples).isNotEmpty();
        assertThat(sink.samples.get(sink.samples.size() - 1).cumulative().get(Component.CPU).joules())
                .isLessThanOrEqualTo(report.energy(Component.CPU).joules());
    }

    /** With readable RAPL counters (a fixture tree here) CPU and RAM are measured for the whole machine. */
    @Test
    void readableRaplCountersMakeCpuAndRamMeasured(@TempDir Path powercap) throws Exception {
        Path pkg = java.nio.file.Files.createDirectories(powercap.resolve("intel-rapl:0"));
        java.nio.file.Files.writeString(pkg.resolve("name"), "package-0\n");
        java.nio.file.Files.writeString(pkg.resolve("energy_uj"), "5000000\n");
        java.nio.file.Files.writeString(pkg.resolve("max_energy_range_uj"), "262143328850\n");
        Path dram = java.nio.file.Files.createDirectories(pkg.resolve("intel-rapl:0:0"));
        java.nio.file.Files.writeString(dram.resolve("name"), "dram\n");
        java.nio.file.Files.writeString(dram.resolve("energy_uj"), "1000000\n");
        Tracker tracker = Tracker.builder().config(config().powercapRoots(List.of(powercap)).build()).build();
        EnergyReport report;
        try (TrackedRun run = tracker.startRun("metered")) {
            java.nio.file.Files.writeString(pkg.resolve("energy_uj"), "47000000\n");   // +42 J
            java.nio.file.Files.writeString(dram.resolve("energy_uj"), "4000000\n");   // +3 J
            report = run.stop();
        }
        assertThat(report.method()).isEqualTo(Method.MEASURED);
        assertThat(report.trackingMode()).isEqualTo("machine");
        assertThat(report.energy(Component.CPU).joules()).isEqualTo(42.0);
        assertThat(report.energy(Component.RAM).joules()).isEqualTo(3.0);
        assertThat(report.assumptions()).noneMatch(a -> a.startsWith("RAPL not used"))
                .anyMatch(a -> a.contains("whole machine"));
    }

    @Test
    void namedTasksReportTheirOwnSliceAndAreListedInTheRun() {
        Tracker tracker = Tracker.builder().config(config().build()).build();
        try (TrackedRun run = tracker.startRun("train")) {
            EnergyReport idle;
            try (TrackedTask task = run.task("idle")) {
                idle = task.stop();
            }
            TrackedTask busy = run.task("busy");
            burnCpu(300);
            EnergyReport busyReport = busy.stop();
            EnergyReport whole = run.stop();
            assertThat(whole.tasks()).extracting(EnergyReport::name).containsExactly("idle", "busy");
            assertThat(busyReport.energy(Component.CPU)).isGreaterThan(idle.energy(Component.CPU));
            assertThat(whole.energy(Component.CPU)).isGreaterThanOrEqualTo(busyReport.energy(Component.CPU));
        }
    }

    @Test
    void measureReturnsTheValueAndStillReportsWhenTheTaskThrows() throws Exception {
        RecordingSink sink = new RecordingSink();
        Tracker tracker = Tracker.builder().config(config().build()).sink(sink).build();
        Measured<Integer> measured = tracker.measureTask("sum", () -> 6 * 7);
        assertThat(measured.value()).isEqualTo(42);
        assertThat(measured.report().name()).isEqualTo("sum");
        assertThatThrownBy(() -> tracker.measureTask("fails", () -> {
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(sink.reports).extracting(EnergyReport::name).containsExactly("sum", "fails");
    }

    /** A shutdown hook that stops a run while the main thread is writing it must wait for the write. */
    @Test
    void aSecondStopReturnsOnlyOnceTheReportIsWritten() throws Exception {
        java.util.concurrent.CountDownLatch writing = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean written = new java.util.concurrent.atomic.AtomicBoolean();
        EnergySink slowSink = report -> {
            writing.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            written.set(true);
        };
        TrackedRun run = Tracker.builder().config(config().build()).sink(slowSink).build().startRun("race");
        Thread first = new Thread(run::stop);
        first.start();
        writing.await();
        java.util.concurrent.atomic.AtomicBoolean secondReturnedEarly = new java.util.concurrent.atomic.AtomicBoolean();
        Thread second = new Thread(() -> {
            run.stop();
            secondReturnedEarly.set(!written.get());
        });
        second.start();
        while (second.getState() != Thread.State.BLOCKED && second.isAlive()) {
            Thread.onSpinWait();
        }
        release.countDown();
        first.join();
        second.join();
        assertThat(secondReturnedEarly).isFalse();
        assertThat(written).isTrue();
    }

    @Test
    void aBadLocationFailsBeforeAnyWorkRuns() {
        assertThatThrownBy(() -> Tracker.builder().config(config().country("Narnia").build()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Narnia");
    }

    @Test
    void aCloudRegionBringsItsProvidersPueAndAnOverrideWins() {
        Tracker aws = Tracker.builder().config(config().region("aws:eu-west-3").build()).build();
        assertThat(aws.pue()).isEqualTo(1.15);
        assertThat(aws.grid().countryIso3()).isEqualTo("FRA");
        Tracker overridden = Tracker.builder().config(config().region("aws:eu-west-3").pue(1.4).intensity(100.0).build())
                .build();
        assertThat(overridden.pue()).isEqualTo(1.4);
        assertThat(overridden.grid().intensity().gramsPerKilowattHour()).isEqualTo(100.0);
        Tracker unknown = Tracker.builder().config(config().country(null).build()).build();
        assertThat(unknown.grid().key()).isEqualTo("WLD");
    }

    /**
     * CodeCarbon users saw a tracker slow a run tenfold. Here the work thread never waits on the sampler, and one
     * sample costs the sampler well under 10 ms of CPU, which at 1 s sampling is under 1 % of one core.
     */
    @Test
    void samplingCostsLittleCpuAndNeverRunsOnTheWorkThread() throws Exception {
        RecordingSink sink = new RecordingSink();
        Tracker tracker = Tracker.builder().config(config().sampleInterval(Duration.ofMillis(20)).build()).sink(sink).build();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long samplerCpuNanos = 0;
        try (TrackedRun run = tracker.startRun("overhead")) {
            Thread.sleep(600);
            for (long id : threads.getAllThreadIds()) {
                var info = threads.getThreadInfo(id);
                if (info != null && info.getThreadName().equals("verdant-energy-overhead")) {
                    samplerCpuNanos = threads.getThreadCpuTime(id);
                }
            }
            run.stop();
        }
        assertThat(sink.samples).hasSizeGreaterThan(5);
        assertThat(samplerCpuNanos).isPositive();
        assertThat(samplerCpuNanos / (double) sink.samples.size()).isLessThan(10_000_000.0);
    }
}
