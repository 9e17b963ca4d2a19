package dev.verdant.energy.sink;

import dev.verdant.energy.Component;
import dev.verdant.energy.EnergyReport;
import dev.verdant.energy.EnergySample;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Publishes live figures for long-running services on a Prometheus endpoint: {@code
 * verdant_energy_joules_total{run,component}}, {@code verdant_emissions_grams_total{run}} and {@code
 * verdant_power_watts{run,component}}. Uses its own registry, never the global default, and serves it on
 * {@code /metrics} until closed. Every run name becomes a label value that stays for the sink's life, so a
 * long-running service should reuse a few stable run names ("inference", "retrain") rather than unique ones.
 */
public final class PrometheusSink implements EnergySink, AutoCloseable {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Map<String, Map<Component, Double>> joules = new ConcurrentHashMap<>();
    private final Map<String, Map<Component, Double>> watts = new ConcurrentHashMap<>();
    private final Map<String, Double> grams = new ConcurrentHashMap<>();
    private final HTTPServer server;

    private PrometheusSink(String host, int port) throws IOException {
        CounterWithCallback.builder()
                .name("verdant_energy_joules_total")
                .help("IT energy used by a tracked run, by hardware component, in joules")
                .labelNames("run", "component")
                .callback(callback -> joules.forEach((run, byComponent) -> byComponent.forEach(
                        (component, value) -> callback.call(value, run, component.label()))))
                .register(registry);
        CounterWithCallback.builder()
                .name("verdant_emissions_grams_total")
                .help("Emissions of a tracked run (facility energy times grid intensity), in grams CO2e")
                .labelNames("run")
                .callback(callback -> grams.forEach((run, value) -> callback.call(value, run)))
                .register(registry);
        GaugeWithCallback.builder()
                .name("verdant_power_watts")
                .help("Average power of a tracked run over the last sampling interval, by component, in watts")
                .labelNames("run", "component")
                .callback(callback -> watts.forEach((run, byComponent) -> byComponent.forEach(
                        (component, value) -> callback.call(value, run, component.label()))))
                .register(registry);
        this.server = HTTPServer.builder().hostname(host).port(port).registry(registry).buildAndStart();
    }

    /**
     * Serves the metrics on {@code host:port}; port 0 picks a free port (see {@link #port()}).
     *
     * @throws UncheckedIOException when the port cannot be bound
     */
    public static PrometheusSink serve(String host, int port) {
        try {
            return new PrometheusSink(host, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve Prometheus metrics on " + host + ":" + port + ": "
                    + e.getMessage(), e);
        }
    }

    /** The port the endpoint listens on. */
    public int port() {
        return server.getPort();
    }

    @Override
    public void onSample(EnergySample sample) {
        Map<Component, Double> energy = new ConcurrentHashMap<>();
        sample.cumulative().forEach((component, value) -> energy.put(component, value.joules()));
        Map<Component, Double> power = new ConcurrentHashMap<>();
        sample.power().forEach((component, value) -> power.put(component, value.watts()));
        joules.merge(sample.runName(), energy, PrometheusSink::atLeast);
        watts.put(sample.runName(), power);
        grams.merge(sample.runName(), sample.emissions().grams(), Math::max);
    }

    @Override
    public void onReport(EnergyReport report) {
        Map<Component, Double> energy = new ConcurrentHashMap<>();
        report.energy().forEach((component, value) -> energy.put(component, value.joules()));
        joules.merge(report.name(), energy, PrometheusSink::atLeast);
        grams.merge(report.name(), report.emissions().grams(), Math::max);
        watts.remove(report.name()); // a finished run draws no power
    }

    /** Counters never go down, even if a late sample arrives after the final report. */
    private static Map<Component, Double> atLeast(Map<Component, Double> old, Map<Component, Double> fresh) {
        Map<Component, Double> merged = new ConcurrentHashMap<>(old);
        fresh.forEach((component, value) -> merged.merge(component, value, Math::max));
        return merged;
    }

    @Override
    public void close() {
        server.close();
    }
}
