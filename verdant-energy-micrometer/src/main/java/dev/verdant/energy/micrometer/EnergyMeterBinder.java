package dev.verdant.energy.micrometer;

import dev.verdant.energy.sink.FiguresSink;
import dev.verdant.energy.sink.LiveFigures;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;

/**
 * The tracker's figures as Micrometer meters: give it to a tracker as a sink and bind it to a registry. In a Spring
 * Boot application one bean is enough, since the actuator binds every {@link MeterBinder} bean to its registry:
 *
 * <pre>{@code
 * @Bean EnergyMeterBinder verdantEnergy() { return new EnergyMeterBinder(); }
 * @Bean Tracker tracker(EnergyMeterBinder energy) { return Tracker.builder().sink(energy).build(); }
 * }</pre>
 *
 * <p>Meters, tagged {@code run} and {@code method} ({@code measured} or {@code estimated}):
 * <ul>
 *   <li>{@code verdant.energy} (function counter, base unit joules, tag {@code component}: cpu, gpu, ram): IT
 *       energy of the runs of that name; Prometheus names it {@code verdant_energy_joules_total}, as
 *       {@link dev.verdant.energy.sink.PrometheusSink} does, so one dashboard serves both;</li>
 *   <li>{@code verdant.emissions} (function counter, base unit grams): CO2e of their facility energy;</li>
 *   <li>{@code verdant.power} (gauge, base unit watts, tag {@code component}): power over the last sampling
 *       interval of the runs of that name still going, NaN when none is;</li>
 *   <li>{@code verdant.task.energy} (function counter, joules, tags {@code task} and {@code component}) and {@code
 *       verdant.task.emissions} (grams, tag {@code task}): the named tasks of those runs, counted as each ends.</li>
 * </ul>
 * A meter appears with the first sample of its run and component; counters add up the runs of one name
 * ({@link LiveFigures}), so a service should reuse a few stable run names.
 */
public final class EnergyMeterBinder implements MeterBinder, FiguresSink {

    private final LiveFigures figures = new LiveFigures();

    @Override
    public LiveFigures figures() {
        return figures;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        figures.addListener(new LiveFigures.Listener() {
            @Override
            public void onNewRun(LiveFigures.RunEmissions run) {
                String name = run.run();
                FunctionCounter.builder("verdant.emissions", figures, f -> f.emissions(name).grams())
                        .description("CO2e of tracked runs' facility energy (IT energy times PUE times the grid's "
                                + "intensity)")
                        .baseUnit("grams")
                        .tags(Tags.of("run", name, "method", run.method().label()))
                        .register(registry);
            }

            @Override
            public void onNewReading(LiveFigures.Reading reading) {
                String run = reading.run();
                Tags tags = Tags.of("run", run, "component", reading.component().label(), "method",
                        reading.method().label());
                FunctionCounter.builder("verdant.energy", figures, f -> f.reading(run, reading.component()).joules())
                        .description("IT energy used by tracked runs, by hardware component")
                        .baseUnit("joules")
                        .tags(tags)
                        .register(registry);
                Gauge.builder("verdant.power", figures, f -> f.reading(run, reading.component()).watts())
                        .description("Average power of tracked runs over the last sampling interval, by component")
                        .baseUnit("watts")
                        .tags(tags)
                        .register(registry);
            }

            @Override
            public void onNewTask(LiveFigures.TaskTotals task) {
                String run = task.run();
                String name = task.task();
                Tags tags = Tags.of("run", run, "task", name, "method", task.method().label());
                task.energyJoules().keySet().forEach(component -> FunctionCounter.builder("verdant.task.energy",
                                figures, f -> f.task(run, name).energyJoules().getOrDefault(component, 0.0))
                        .description("IT energy used by the tasks of one name of tracked runs, by hardware component")
                        .baseUnit("joules")
                        .tags(tags.and("component", component.label()))
                        .register(registry));
                FunctionCounter.builder("verdant.task.emissions", figures, f -> f.task(run, name).grams())
                        .description("CO2e of the tasks of one name of tracked runs")
                        .baseUnit("grams")
                        .tags(tags)
                        .register(registry);
            }
        });
    }



}
