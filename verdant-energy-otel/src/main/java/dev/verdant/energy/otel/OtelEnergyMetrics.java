package dev.verdant.energy.otel;

import dev.verdant.energy.Component;
import dev.verdant.energy.sink.FiguresSink;
import dev.verdant.energy.sink.LiveFigures;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterProvider;
import java.util.List;
import java.util.Objects;

/**
 * The tracker's figures as OpenTelemetry metrics, read by the SDK at each collection (asynchronous instruments),
 * named after the semantic conventions for hardware where they fit:
 * <ul>
 *   <li>{@code hw.energy} (counter, {@code J}): IT energy of the runs of one name, by component;</li>
 *   <li>{@code hw.power} (gauge, {@code W}): their power over the last sampling interval, while a run of that name
 *       goes;</li>
 *   <li>{@code verdant.co2e} (counter, {@code g}): CO2e of their facility energy (no convention names emissions);</li>
 *   <li>{@code verdant.task.energy} (counter, {@code J}, attribute {@code verdant.task}): the named tasks of those runs
 *       by component, counted as each ends (apart from {@code hw.energy}, so that a sum over it counts nothing
 *       twice).</li>
 * </ul>
 * Attributes: {@code hw.type} ({@code cpu}, {@code gpu}, {@code memory}) and {@code hw.id} (the component, as the
 * conventions require one), {@code verdant.run} and {@code verdant.method} ({@code measured} or {@code
 * estimated}). Give it to a tracker as a sink; close it to remove the instruments.
 */
public final class OtelEnergyMetrics implements FiguresSink, AutoCloseable {

    /** The instrumentation scope the instruments belong to. */
    public static final String SCOPE = "dev.verdant.energy";

    static final AttributeKey<String> HW_ID = AttributeKey.stringKey("hw.id");
    static final AttributeKey<String> HW_TYPE = AttributeKey.stringKey("hw.type");
    static final AttributeKey<String> RUN = AttributeKey.stringKey("verdant.run");
    static final AttributeKey<String> METHOD = AttributeKey.stringKey("verdant.method");
    static final AttributeKey<String> TASK = AttributeKey.stringKey("verdant.task");

    private final LiveFigures figures = new LiveFigures();
    private final List<AutoCloseable> instruments;

    private OtelEnergyMetrics(Meter meter) {
        instruments = List.of(
                meter.counterBuilder("hw.energy").ofDoubles().setUnit("J")
                        .setDescription("Energy consumed by the component (IT energy of tracked runs)")
                        .buildWithCallback(out -> figures.readings().forEach(
                                reading -> out.record(reading.joules(), attributes(reading)))),
                meter.gaugeBuilder("hw.power").setUnit("W")
                        .setDescription("Instantaneous power consumed by the component (average over the last "
                                + "sampling interval of tracked runs still going)")
                        .buildWithCallback(out -> figures.readings().stream().filter(LiveFigures.Reading::live)
                                .forEach(reading -> out.record(reading.watts(), attributes(reading)))),
                meter.counterBuilder("verdant.task.energy").ofDoubles().setUnit("J")
                        .setDescription("Energy of the named tasks of tracked runs, by component, counted as each ends")
                        .buildWithCallback(out -> figures.tasks().forEach(task -> task.energyJoules().forEach(
                                (component, joules) -> out.record(joules, Attributes.builder()
                                        .put(HW_ID, component.label()).put(HW_TYPE, hwType(component))
                                        .put(RUN, task.run()).put(TASK, task.task())
                                        .put(METHOD, task.method().label()).build())))),
                meter.counterBuilder("verdant.co2e").ofDoubles().setUnit("g")
                        .setDescription("CO2e of tracked runs' facility energy (IT energy times PUE times the grid's "
                                + "intensity)")
                        .buildWithCallback(out -> figures.runs().forEach(run -> out.record(run.grams(),
                                Attributes.of(RUN, run.run(), METHOD, run.method().label())))));
    }

    /** Registers the instruments on {@code provider}'s meter for {@link #SCOPE}. */
    public static OtelEnergyMetrics register(MeterProvider provider) {
        return new OtelEnergyMetrics(Objects.requireNonNull(provider, "provider").get(SCOPE));
    }

    /** The hardware type of a component in the semantic conventions' words. */
    static String hwType(Component component) {
        return switch (component) {
            case CPU -> "cpu";
            case GPU -> "gpu";
            case RAM -> "memory";
        };
    }

    private static Attributes attributes(LiveFigures.Reading reading) {
        return Attributes.of(HW_ID, reading.component().label(), HW_TYPE, hwType(reading.component()), RUN,
                reading.run(), METHOD, reading.method().label());
    }

    @Override
    public LiveFigures figures() {
        return figures;
    }




    /** Removes the instruments: the SDK no longer calls them. */
    @Override
    public void close() {
        for (AutoCloseable instrument : instruments) {
            try {
                instrument.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot close an OpenTelemetry instrument", e);
            }
        }
    }
}
