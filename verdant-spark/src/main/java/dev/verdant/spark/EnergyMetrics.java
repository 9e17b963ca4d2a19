package dev.verdant.spark;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The plugin's figures as Spark metrics, in the registry Spark gives the driver plugin, so that Spark's own sinks
 * (Prometheus servlet, JMX, CSV, ...) carry them under {@code plugin.dev.verdant.spark.VerdantPlugin.*}: the
 * application's and the driver's energy and CO2e, and each executor's, stage's and job's energy (facility energy,
 * PUE included, in joules) as soon as they exist. An unmeasured executor's gauge reads NaN, never zero.
 */
final class EnergyMetrics {

    private final MetricRegistry registry;
    private final Supplier<SparkEnergyReport> report;
    private final Set<String> registered = new HashSet<>();
    private Split lastSplit;

    EnergyMetrics(MetricRegistry registry, Supplier<SparkEnergyReport> report) {
        this.registry = registry;
        this.report = report;
        gauge("application.energyJoules", () -> facility(report.get().itEnergy().values().stream()
                .mapToDouble(dev.verdant.energy.Energy::joules).sum()));
        gauge("application.co2eGrams", () -> {
            SparkEnergyReport r = report.get();
            return r.co2eKilograms(r.itEnergy().values().stream().mapToDouble(dev.verdant.energy.Energy::joules).sum())
                    * 1000;
        });
        gauge("driver.energyJoules", () -> {
            ProcessEnergy driver = report.get().driver();
            return driver.measured() ? facility(driver.itJoules()) : Double.NaN;
        });
        gauge("executors.unmeasured", () -> (double) report.get().unmeasuredExecutors().size());
    }

    private double facility(double itJoules) {
        return report.get().facilityJoules(itJoules);
    }

    /** Registers the gauges of executors, stages and jobs that appeared since the last call. */
    synchronized void addNew(SparkEnergyReport now) {
        for (ProcessEnergy executor : now.executors()) {
            String id = executor.id();
            gauge("executor." + id + ".energyJoules", () -> report.get().executors().stream()
                    .filter(e -> e.id().equals(id)).findFirst()
                    .map(e -> e.measured() ? facility(e.itJoules()) : Double.NaN).orElse(Double.NaN));
        }
        for (Integer stage : now.ledger().stages().keySet()) {
            gauge("stage." + stage + ".energyJoules", () -> facility(split().stages().getOrDefault(stage, 0.0)));
        }
        for (Integer job : now.ledger().jobs().keySet()) {
            gauge("job." + job + ".energyJoules", () -> facility(split().jobs().getOrDefault(job, 0.0)));
        }
    }

    /** Stage and job energy of one report. */
    private record Split(SparkEnergyReport of, Map<Integer, Double> stages, Map<Integer, Double> jobs) {
    }

    /**
     * The split of the current report, computed once per report rather than once per gauge: a sink reads every
     * stage's and job's gauge in one go.
     */
    private synchronized Split split() {
        SparkEnergyReport now = report.get();
        if (lastSplit == null || lastSplit.of() != now) {
            Map<Integer, Double> stages = now.split().joules();
            Map<Integer, Integer> stageJob = new java.util.HashMap<>();
            now.ledger().stages().forEach((s, info) -> stageJob.put(s, info.jobId()));
            lastSplit = new Split(now, stages, StageAttribution.jobs(stages, stageJob));
        }
        return lastSplit;
    }

    private void gauge(String name, Supplier<Double> value) {
        if (registered.add(name)) {
            registry.register(name, (Gauge<Double>) value::get);
        }
    }
}
