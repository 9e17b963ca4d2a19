package dev.verdant.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.codahale.metrics.MetricRegistry;
import dev.verdant.energy.EnergyConfig;
import dev.verdant.energy.carbon.CarbonContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Test;

/** An executor whose meter fails: the executor keeps going, and the driver reports it as unmeasured, never as 0. */
class UnmeasuredExecutorTest {

    /** The executor side of a plugin context: records what the plugin sends. */
    static final class RecordingContext implements PluginContext {
        final List<Object> sent = new ArrayList<>();

        @Override
        public MetricRegistry metricRegistry() {
            return new MetricRegistry();
        }

        @Override
        public SparkConf conf() {
            return new SparkConf(false).set("spark.verdant.intervalMs", "50");
        }

        @Override
        public String executorID() {
            return "7";
        }

        @Override
        public String hostname() {
            return "node-7";
        }

        @Override
        public Map<String, ResourceInformation> resources() {
            return Map.of();
        }

        @Override
        public synchronized void send(Object message) {
            sent.add(message);
        }

        @Override
        public synchronized Object ask(Object message) {
            sent.add(message);
            return Boolean.TRUE;
        }
    }

    @Test
    void aMeterThatCannotStartIsReportedAndTheExecutorRunsOn() {
        RecordingContext context = new RecordingContext();
        VerdantExecutorPlugin plugin = new VerdantExecutorPlugin(settings -> {
            throw new IllegalStateException("powercap counters vanished");
        });
        assertThatCode(() -> plugin.init(context, Map.of())).doesNotThrowAnyException();
        plugin.onTaskStart();
        plugin.onTaskSucceeded();
        assertThatCode(plugin::shutdown).doesNotThrowAnyException();

        assertThat(context.sent).hasSize(1);
        ExecutorReport.Unmeasured report = (ExecutorReport.Unmeasured) context.sent.get(0);
        assertThat(report.executorId()).isEqualTo("7");
        assertThat(report.host()).isEqualTo("node-7");
        assertThat(report.reason()).contains("powercap counters vanished");
    }

    @Test
    void theDriverListsAnUnmeasuredExecutorWithoutEnergyAndLeavesItOutOfEveryTotal() {
        EnergyLedger ledger = new EnergyLedger();
        ledger.jobStarted(0, Map.of(0, "map"));
        ledger.taskEnded("1", "node-1", 0, 3_000_000_000L);
        ledger.taskEnded("2", "node-2", 0, 1_000_000_000L);
        ledger.record(new ExecutorReport.Sample("1", "node-1", 11, 1, 5_000_000_000L, Map.of("cpu", 40.0, "ram", 2.0),
                Map.of("cpu", "estimated", "ram", "estimated"), "estimate (cpu, ram)", "process", List.of(), 0, 1, true));
        ledger.record(new ExecutorReport.Unmeasured("2", "node-2", 12, "the meter failed while reading: boom"));
        ledger.jobEnded(0, true);
        CarbonContext carbon = CarbonContext.resolve(EnergyConfig.builder().intensity(100.0).pue(1.5).build());
        ProcessEnergy driver = new ProcessEnergy("driver", "driver", "node-0", 10, "measured", "", Map.of("cpu", 10.0),
                "estimated", "estimate (cpu)", "process", 5, true, List.of(), -1, -1);
        ProcessEnergy one = ProcessEnergy.of(ledger.snapshot().samples().get("1"));
        ProcessEnergy two = ProcessEnergy.unmeasured("executor", "2", "node-2", 12, "unmeasured", "boom");
        SparkEnergyReport report = new SparkEnergyReport("app-1", "app", "p", "run", Instant.EPOCH,
                Duration.ofSeconds(5), carbon, driver, List.of(one, two), ledger.snapshot(), true);

        assertThat(report.unmeasuredExecutors()).containsExactly("2");
        assertThat(report.itEnergy().values().stream().mapToDouble(e -> e.joules()).sum()).isEqualTo(52.0);
        Map<String, Object> json = report.toJson();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> executors = (List<Map<String, Object>>) json.get("executors");
        assertThat(executors.get(1)).containsEntry("status", "unmeasured").containsEntry("energy_j", null)
                .containsEntry("counted_in_total", false);
        @SuppressWarnings("unchecked")
        Map<String, Object> stage = ((List<Map<String, Object>>) json.get("stages")).get(0);
        // the stage holds all of executor 1's energy and names executor 2, whose share is unknown
        assertThat((double) stage.get("it_energy_j")).isEqualTo(42.0);
        assertThat((double) stage.get("energy_j")).isEqualTo(63.0);
        assertThat(stage.get("lacks_unmeasured_executors")).isEqualTo(List.of("2"));
        @SuppressWarnings("unchecked")
        Map<String, Object> app = (Map<String, Object>) json.get("application");
        assertThat(app.get("unmeasured_executors")).isEqualTo(List.of("2"));
        // 52 J IT x 1.5 PUE = 78 J = 78 / 3.6e6 kWh at 100 g/kWh
        assertThat((double) app.get("co2e_kg")).isCloseTo(78 / 3.6e6 * 100 / 1000, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(report.codeCarbonReport(new dev.verdant.energy.EnergyReport.Hardware("cpu", 2, 0, "", 4))
                .assumptions()).anyMatch(a -> a.contains("unmeasured executors, not in the total: [2]"));
    }

    @Test
    void aLateIntervalReportNeverReplacesANewerOne() {
        EnergyLedger ledger = new EnergyLedger();
        ledger.record(sample(2, 20.0, true));
        ledger.record(sample(1, 10.0, false));
        assertThat(ledger.snapshot().samples().get("1").totalJoules()).isEqualTo(20.0);
        assertThat(ledger.finished("1")).isTrue();
    }

    private static ExecutorReport.Sample sample(long sequence, double joules, boolean last) {
        return new ExecutorReport.Sample("1", "h", 5, sequence, 1, Map.of("cpu", joules), Map.of("cpu", "estimated"),
                "estimate (cpu)", "process", List.of(), 0, 0, last);
    }
}
