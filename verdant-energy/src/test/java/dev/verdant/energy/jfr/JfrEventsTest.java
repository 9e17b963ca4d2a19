package dev.verdant.energy.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdant.energy.Component;
import dev.verdant.energy.EnergyConfig;
import dev.verdant.energy.EnergyReport;
import dev.verdant.energy.TrackedRun;
import dev.verdant.energy.TrackedTask;
import dev.verdant.energy.Tracker;
import dev.verdant.energy.testing.TestTrackers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JfrEventsTest {

    @TempDir
    Path noPowercap;

    @TempDir
    Path work;

    private Tracker tracker(JfrRecordingSink sink) {
        return TestTrackers.estimating(noPowercap, sink);
    }

    @Test
    void aRecordingHoldsTheSamplesTheRunAndItsTasksWithTheirEnergy() throws Exception {
        Path file = work.resolve("run.jfr");
        EnergyReport report;
        EnergyReport taskReport;
        try (JfrRecordingSink sink = new JfrRecordingSink(file)) {
            try (TrackedRun run = tracker(sink).startRun("fit")) {
                try (TrackedTask epoch = run.task("epoch-1")) {
                    spinUntilSampled(run, 3);
                    taskReport = epoch.stop();
                }
                report = run.stop();
            }
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        List<RecordedEvent> samples = events.stream()
                .filter(e -> e.getEventType().getName().equals(EnergySampleEvent.NAME)).toList();
        List<RecordedEvent> tasks = events.stream()
                .filter(e -> e.getEventType().getName().equals(TrackedTaskEvent.NAME)).toList();

        assertThat(samples).isNotEmpty();
        RecordedEvent last = samples.getLast();
        assertThat(last.getString("run")).isEqualTo("fit");
        assertThat(last.getString("runId")).isEqualTo(report.runId());
        assertThat(last.getString("method")).isEqualTo("estimated");
        assertThat(last.getDouble("itJoules")).isLessThanOrEqualTo(report.itEnergy().joules());
        assertThat(last.getDouble("cpuJoules") + last.getDouble("ramJoules"))
                .isCloseTo(last.getDouble("itJoules"), Offset.offset(1e-9));
        assertThat(samples.stream().mapToDouble(e -> e.getDouble("itJoules"))).isSorted();

        assertThat(tasks).extracting(e -> e.getString("kind") + ":" + e.getString("name"))
                .containsExactly("task:epoch-1", "run:fit");
        RecordedEvent runEvent = tasks.get(1);
        assertThat(runEvent.getDouble("cpuJoules")).isEqualTo(report.energy(Component.CPU).joules());
        assertThat(runEvent.getDouble("itJoules")).isEqualTo(report.itEnergy().joules());
        assertThat(runEvent.getDouble("co2eGrams")).isEqualTo(report.emissions().grams());
        assertThat(runEvent.getDuration().toNanos()).isPositive();
        assertThat(runEvent.getDuration()).isLessThanOrEqualTo(report.duration().plusMillis(50));
        RecordedEvent taskEvent = tasks.get(0);
        assertThat(taskEvent.getString("run")).isEqualTo("fit");
        assertThat(taskEvent.getDouble("itJoules")).isEqualTo(taskReport.itEnergy().joules());
        assertThat(taskEvent.getDuration()).isLessThanOrEqualTo(runEvent.getDuration());
        assertThat(taskEvent.getStartTime()).isAfterOrEqualTo(runEvent.getStartTime());
    }

    @Test
    void withoutARecordingNothingIsWrittenAndTheRunIsUnchanged() throws Exception {
        Path file = work.resolve("never.jfr");
        try (JfrRecordingSink sink = new JfrRecordingSink(file)) {
            assertThat(sink.file()).isEqualTo(file);
        }
        assertThat(file).doesNotExist();
        EnergyReport report = Tracker.builder().config(EnergyConfig.builder().powercapRoots(List.of(noPowercap))
                .useGpu(false).country("DE").build()).build().measureTask("plain", () -> 1).report();
        assertThat(report.name()).isEqualTo("plain");
    }

    /** Works until the sampler has committed {@code samples} readings (about 20 ms each). */
    private static void spinUntilSampled(TrackedRun run, int samples) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofMillis(20L * samples + 60).toNanos();
        double x = 0;
        while (System.nanoTime() < until) {
            x += Math.sqrt(x + 1);
        }
        assertThat(x).isPositive();
        assertThat(run.elapsed()).isPositive();
    }
}
