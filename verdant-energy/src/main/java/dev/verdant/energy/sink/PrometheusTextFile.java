package dev.verdant.energy.sink;

import dev.verdant.energy.EnergyReport;
import dev.verdant.io.AtomicFiles;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes a run's final figures, the metrics of {@link PrometheusSink}, as a text file for node_exporter's textfile
 * collector ({@code --collector.textfile.directory}), so that a job that ends before any scrape is not lost: the
 * file stays, and every scrape of node_exporter reports it. Written atomically at every report (node_exporter must
 * never read half a file), in the Prometheus text format 0.0.4 that the collector parses; the file name must end in
 * {@code .prom}. Successive runs add up under their run name, as {@link LiveFigures} counts them.
 */
public final class PrometheusTextFile implements FiguresSink {

    private final Path file;
    private final PrometheusSink metrics = PrometheusSink.register(new PrometheusRegistry());
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.builder()
            .setIncludeCreatedTimestamps(false).build();

    /**
     * A sink writing {@code file}.
     *
     * @throws IllegalArgumentException when the name does not end in {@code .prom}, which the collector ignores
     */
    public PrometheusTextFile(Path file) {
        this.file = Objects.requireNonNull(file, "file");
        if (!file.getFileName().toString().endsWith(".prom")) {
            throw new IllegalArgumentException("the Prometheus text file " + file + " must end in .prom: "
                    + "node_exporter's textfile collector reads only *.prom files");
        }
    }

    /** The file written. */
    public Path file() {
        return file;
    }

    @Override
    public LiveFigures figures() {
        return metrics.figures();
    }

    @Override
    public synchronized void onReport(EnergyReport report) {
        metrics.onReport(report);
        AtomicFiles.write(file, out -> writer.write(out, metrics.registry().scrape()));
    }
}
