package dev.verdant.examples.track;

import dev.verdant.energy.EnergyReport;
import dev.verdant.energy.sink.EnergySink;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A custom {@link EnergySink}: writes each finished run as a small table, one row per component, with whether the
 * figure was measured or estimated. Sinks may be called from the tracker's threads, so this one is thread-safe.
 */
public final class ConsoleTableSink implements EnergySink {

    private final PrintStream out;
    private final AtomicInteger reports = new AtomicInteger();

    /**
     * A sink that prints to {@code out}.
     *
     * @param out where the tables go
     */
    public ConsoleTableSink(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void onReport(EnergyReport report) {
        reports.incrementAndGet();
        out.printf(Locale.ROOT, "sink: run '%s' (%s tracking, PUE %.2f, grid %s)%n", report.name(),
                report.trackingMode(), report.pue(), report.grid().name());
        report.methods().forEach((component, method) -> out.printf(Locale.ROOT,
                "sink:   %-6s %10.3f J  %s%n", component, report.energy(component).joules(), method.label()));
    }

    /**
     * How many reports this sink has written.
     *
     * @return the count so far
     */
    public int reportsReceived() {
        return reports.get();
    }
}
