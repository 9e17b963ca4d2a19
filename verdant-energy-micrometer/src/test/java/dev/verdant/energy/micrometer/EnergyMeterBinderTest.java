package dev.verdant.energy.micrometer;

import static dev.verdant.energy.testing.TestTrackers.busy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.verdant.energy.Component;
import dev.verdant.energy.EnergyReport;
import dev.verdant.energy.TrackedRun;
import dev.verdant.energy.Tracker;
import dev.verdant.energy.testing.TestTrackers;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnergyMeterBinderTest {

    @TempDir
    Path noPowercap;

    private Tracker tracker(EnergyMeterBinder binder) {
        return TestTrackers.estimating(noPowercap, binder);
    }


    @Test
    void aSimpleRegistryHoldsEnergyByComponentEmissionsAndPowerWithTheMethod() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        EnergyMeterBinder binder = new EnergyMeterBinder();
        binder.bindTo(registry);
        EnergyReport report;
        try (TrackedRun run = tracker(binder).startRun("fit")) {
            // the power gauge exists while the run goes, with the first sample
            long giveUpAt = System.nanoTime() + Duration.ofSeconds(60).toNanos(); // bounds the wait; times nothing
            while (registry.find("verdant.power").tag("run", "fit").gauge() == null && System.nanoTime() < giveUpAt) {
                busy(20);
            }
            Gauge power = registry.get("verdant.power").tags("run", "fit", "component", "cpu").gauge();
            assertThat(power.getId().getBaseUnit()).isEqualTo("watts");
            assertThat(power.value()).isGreaterThanOrEqualTo(0);
            busy(40);
            report = run.stop();
        }
        FunctionCounter cpu = registry.get("verdant.energy").tags("run", "fit", "component", "cpu", "method",
                "estimated").functionCounter();
        assertThat(cpu.getId().getBaseUnit()).isEqualTo("joules");
        assertThat(cpu.count()).isEqualTo(report.energy(Component.CPU).joules());
        assertThat(registry.get("verdant.energy").tags("run", "fit", "component", "ram").functionCounter().count())
                .isEqualTo(report.energy(Component.RAM).joules());
        FunctionCounter grams = registry.get("verdant.emissions").tags("run", "fit").functionCounter();
        assertThat(grams.count()).isCloseTo(report.emissions().grams(), Offset.offset(1e-12));
        assertThat(registry.get("verdant.power").tags("run", "fit", "component", "cpu").gauge().value()).isNaN();
    }

    @Test
    void aPrometheusRegistryShowsTheSameSeriesNamesAsPrometheusSink() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        EnergyMeterBinder binder = new EnergyMeterBinder();
        EnergyReport report;
        EnergyReport task;
        try (TrackedRun run = tracker(binder).startRun("serve")) {
            try (dev.verdant.energy.TrackedTask batch = run.task("batch")) {
                busy(40);
                task = batch.stop();
            }
            report = run.stop();
        }
        binder.bindTo(registry); // bound after the run: the meters of runs already seen appear all the same
        String scrape = registry.scrape();
        assertThat(scrape).contains("# TYPE verdant_energy_joules_total counter")
                .contains("verdant_energy_joules_total{component=\"cpu\",method=\"estimated\",run=\"serve\"} "
                        + report.energy(Component.CPU).joules())
                .contains("verdant_emissions_grams_total{method=\"estimated\",run=\"serve\"}")
                .contains("# TYPE verdant_power_watts gauge")
                .contains("verdant_task_energy_joules_total{component=\"cpu\",method=\"estimated\",run=\"serve\",task=\"batch\"} "
                        + task.energy(Component.CPU).joules());
    }
}
