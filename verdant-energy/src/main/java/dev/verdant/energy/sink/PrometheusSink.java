package dev.verdant.energy.sink;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

/**
 * Publishes a tracker's figures to Prometheus: {@code verdant_energy_joules_total{run,component,method}}, {@code
 * verdant_emissions_grams_total{run,method}}, {@code verdant_power_watts{run,component,method}} (while a run of
 * that name goes), and for named tasks {@code verdant_task_energy_joules_total{run,task,component,method}} and {@code
 * verdant_task_emissions_grams_total{run,task,method}} (as each task ends). Either on a registry the application already exposes ({@link #register}) or on its own registry
 * served on {@code /metrics} until closed ({@link #serve}); never on the global default registry. The figures are a
 * {@link LiveFigures}: counters add up the runs of one name, so a long-running service should reuse a few stable run
 * names ("inference", "retrain") rather than unique ones.
 */
public final class PrometheusSink implements FiguresSink, AutoCloseable {

    private final LiveFigures figures = new LiveFigures();
    private final PrometheusRegistry registry;
    private final List<Collector> collectors;
    private final HTTPServer server;

    private PrometheusSink(PrometheusRegistry registry, HTTPServer.Builder serve) throws IOException {
        this.registry = registry;
        this.collectors = List.of(
                CounterWithCallback.builder()
                        .name("verdant_energy_joules_total")
                        .help("IT energy used by tracked runs, by hardware component, in joules")
                        .labelNames("run", "component", "method")
                        .callback(callback -> figures.readings().forEach(reading -> callback.call(reading.joules(),
                                reading.run(), reading.component().label(), reading.method().label())))
                        .register(registry),
                CounterWithCallback.builder()
                        .name("verdant_emissions_grams_total")
                        .help("Emissions of tracked runs (facility energy times grid intensity), in grams CO2e")
                        .labelNames("run", "method")
                        .callback(callback -> figures.runs().forEach(run -> callback.call(run.grams(), run.run(),
                                run.method().label())))
                        .register(registry),
                CounterWithCallback.builder()
                        .name("verdant_task_energy_joules_total")
                        .help("IT energy used by the tasks of one name (epochs, phases) of tracked runs, by hardware "
                                + "component, in joules; counted when each task ends")
                        .labelNames("run", "task", "component", "method")
                        .callback(callback -> figures.tasks().forEach(task -> task.energyJoules().forEach(
                                (component, joules) -> callback.call(joules, task.run(), task.task(),
                                        component.label(), task.method().label()))))
                        .register(registry),
                CounterWithCallback.builder()
                        .name("verdant_task_emissions_grams_total")
                        .help("Emissions of the tasks of one name of tracked runs, in grams CO2e")
                        .labelNames("run", "task", "method")
                        .callback(callback -> figures.tasks().forEach(task -> callback.call(task.grams(), task.run(),
                                task.task(), task.method().label())))
                        .register(registry),
                GaugeWithCallback.builder()
                        .name("verdant_power_watts")
                        .help("Average power of tracked runs over the last sampling interval, by component, in watts")
                        .labelNames("run", "component", "method")
                        .callback(callback -> figures.readings().stream().filter(LiveFigures.Reading::live)
                                .forEach(reading -> callback.call(reading.watts(), reading.run(),
                                        reading.component().label(), reading.method().label())))
                        .register(registry));
        this.server = serve == null ? null : serve.registry(registry).buildAndStart();
    }

    /**
     * Registers Verdant's metrics on {@code registry}, which the application already exposes (its own HTTP
     * exporter, a servlet, a Spring Boot actuator). Closing the sink unregisters them.
     */
    public static PrometheusSink register(PrometheusRegistry registry) {
        try {
            return new PrometheusSink(Objects.requireNonNull(registry, "registry"), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // no server, no I/O
        }
    }

    /**
     * Serves the metrics on {@code host:port} from a registry of the sink's own; port 0 picks a free port (see
     * {@link #port()}).
     *
     * @throws UncheckedIOException when the port cannot be bound, naming it
     */
    public static PrometheusSink serve(String host, int port) {
        try {
            return new PrometheusSink(new PrometheusRegistry(), HTTPServer.builder().hostname(host).port(port));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve Prometheus metrics on " + host + ":" + port + ": "
                    + e.getMessage(), e);
        }
    }

    /** The registry the metrics are on. */
    public PrometheusRegistry registry() {
        return registry;
    }

    @Override
    public LiveFigures figures() {
        return figures;
    }

    /**
     * The port the endpoint listens on.
     *
     * @throws IllegalStateException when the sink only registered on an application's registry
     */
    public int port() {
        if (server == null) {
            throw new IllegalStateException("this sink serves no endpoint: it registered on the application's registry");
        }
        return server.getPort();
    }




    /** Stops the endpoint, or unregisters the metrics from the application's registry. */
    @Override
    public void close() {
        if (server != null) {
            server.close();
        } else {
            collectors.forEach(registry::unregister);
        }
    }
}
