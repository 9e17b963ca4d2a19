package dev.verdant.energy.sink;

import dev.verdant.energy.Component;
import dev.verdant.energy.EnergyReport;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.function.Consumer;

/** Writes one human-readable line per finished run, to a logger or any consumer of strings. */
public final class LogSink implements EnergySink {

    private final Consumer<String> out;

    /** Logs through {@code System.Logger} "dev.verdant.energy" at INFO. */
    public LogSink() {
        this(line -> System.getLogger("dev.verdant.energy").log(System.Logger.Level.INFO, line));
    }

    public LogSink(Consumer<String> out) {
        this.out = out;
    }

    @Override
    public void onReport(EnergyReport report) {
        out.accept(line(report));
    }

    /** For example: {@code train: 12.0 s, 1.21 Wh (cpu 1.10 Wh estimated, ram 0.11 Wh estimated), PUE 1.00, 0.588 gCO2e at 486 g/kWh (WLD)}. */
    public static String line(EnergyReport report) {
        StringJoiner parts = new StringJoiner(", ");
        for (Component component : report.energy().keySet()) {
            parts.add(String.format(Locale.ROOT, "%s %.4g Wh %s", component.label(),
                    report.energy(component).wattHours(), report.methods().get(component).label()));
        }
        return String.format(Locale.ROOT, "%s: %.1f s, %.4g Wh (%s), PUE %.2f, %.4g gCO2e at %.0f g/kWh (%s)",
                report.name(), report.durationSeconds(), report.totalEnergy().wattHours(), parts, report.pue(),
                report.emissions().grams(), report.grid().intensity().gramsPerKilowattHour(), report.grid().key());
    }
}
