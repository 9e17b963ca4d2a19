package dev.verdant.energy.otel;

import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An OpenTelemetry SDK that exports metrics over OTLP, configured exactly as every OpenTelemetry SDK is: by the
 * standard variables ({@code OTEL_EXPORTER_OTLP_ENDPOINT}, {@code OTEL_EXPORTER_OTLP_METRICS_ENDPOINT}, {@code
 * OTEL_EXPORTER_OTLP_PROTOCOL}, {@code OTEL_EXPORTER_OTLP_HEADERS}, {@code OTEL_EXPORTER_OTLP_TIMEOUT}, {@code
 * OTEL_METRIC_EXPORT_INTERVAL}, {@code OTEL_SERVICE_NAME}, {@code OTEL_RESOURCE_ATTRIBUTES}, ...) or the matching
 * {@code otel.*} system properties, read by the SDK's autoconfigure module. Verdant's defaults, which those override:
 * service name {@code verdant}, an export every 10 s, OTLP over HTTP with protobuf ({@code http/protobuf}, sent by the
 * JDK's own HTTP client; {@code grpc} is not bundled), no retry of a failed export (the counters are cumulative, so
 * the next export carries what a lost one had), no traces or logs exported.
 *
 * <p>Exports run on the SDK's own thread, so an endpoint that refuses or never answers cannot slow the tracked work;
 * the first failure is told once to the given consumer and the rest are only counted (the exporters' own log line per
 * failed export, under {@link #PER_EXPORT_LOGGERS}, is off while this is open). Closing flushes the last
 * figures, waiting at most {@link #CLOSE_WAIT}.
 */
public final class OtlpExport implements AutoCloseable {

    /** How long {@link #close()} waits for the last export. */
    public static final Duration CLOSE_WAIT = Duration.ofSeconds(3);

    private static final Map<String, String> DEFAULTS = Map.of(
            "otel.service.name", "verdant",
            "otel.metric.export.interval", "10000",
            "otel.traces.exporter", "none",
            "otel.logs.exporter", "none",
            "otel.metrics.exporter", "otlp",
            "otel.exporter.otlp.protocol", "http/protobuf",
            // the counters are cumulative: the next export carries what a lost one had, so a retry only delays
            // the report of a failure and lets exports pile up behind a dead endpoint
            "otel.java.exporter.otlp.retry.disabled", "true");

    /**
     * The SDK's loggers that write a line per failed export (with a stack trace) or per export that outlived its
     * interval, while the endpoint is down.
     */
    static final List<String> PER_EXPORT_LOGGERS = List.of("io.opentelemetry.exporter",
            "io.opentelemetry.sdk.metrics.export.PeriodicMetricReader");

    private final OpenTelemetrySdk sdk;
    private final List<FailureReportingExporter> exporters;
    private final String endpoint;
    private final List<Logger> perExportLoggers = PER_EXPORT_LOGGERS.stream().map(Logger::getLogger).toList();
    private final List<Level> perExportLevels; // restored on close; the loggers are held, as JUL keeps them weakly

    private OtlpExport(OpenTelemetrySdk sdk, List<FailureReportingExporter> exporters, String endpoint) {
        this.sdk = sdk;
        this.exporters = exporters;
        this.endpoint = endpoint;
        this.perExportLevels = perExportLoggers.stream().map(Logger::getLevel).toList();
        perExportLoggers.forEach(logger -> logger.setLevel(Level.OFF)); // the first failure is told once instead
    }

    /**
     * An export configured by this process's environment variables and system properties.
     *
     * @param onFirstFailure told, once, of the first export that failed
     */
    public static OtlpExport fromEnvironment(Consumer<String> onFirstFailure) {
        return configured(Map.of(), onFirstFailure);
    }

    /**
     * An export configured by {@code settings} ({@code otel.*} property names), which override the environment: for
     * tests and for applications that configure in code.
     *
     * @throws IllegalArgumentException naming the setting the SDK refuses (an unknown protocol, a bad number)
     */
    public static OtlpExport configured(Map<String, String> settings, Consumer<String> onFirstFailure) {
        Objects.requireNonNull(onFirstFailure, "onFirstFailure");
        List<FailureReportingExporter> exporters = new CopyOnWriteArrayList<>();
        String[] endpoint = {""};
        AutoConfiguredOpenTelemetrySdk configured;
        try {
            configured = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> DEFAULTS)
                .addPropertiesCustomizer(config -> overrides(settings))
                .addMetricExporterCustomizer((exporter, config) -> {
                    endpoint[0] = metricsEndpoint(config);
                    FailureReportingExporter reporting = new FailureReportingExporter(exporter, endpoint[0],
                            onFirstFailure);
                    exporters.add(reporting);
                    return reporting;
                })
                .disableShutdownHook()
                .build();
        } catch (ConfigurationException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new IllegalArgumentException("OpenTelemetry's settings (OTEL_* variables, otel.* properties): "
                    + e.getMessage() + (root == e ? "" : " (" + root.getMessage() + ")"), e);
        }
        return new OtlpExport(configured.getOpenTelemetrySdk(), exporters, endpoint[0]);
    }

    private static Map<String, String> overrides(Map<String, String> settings) {
        return new HashMap<>(settings);
    }

    /** The endpoint metrics go to, as the SDK resolves it (for messages). */
    private static String metricsEndpoint(ConfigProperties config) {
        String metrics = config.getString("otel.exporter.otlp.metrics.endpoint");
        if (metrics != null) {
            return metrics;
        }
        String base = config.getString("otel.exporter.otlp.endpoint");
        String protocol = config.getString("otel.exporter.otlp.metrics.protocol",
                config.getString("otel.exporter.otlp.protocol", "http/protobuf"));
        if (base == null) {
            base = protocol.equals("grpc") ? "http://localhost:4317" : "http://localhost:4318";
        }
        return protocol.equals("grpc") ? base : base.replaceAll("/$", "") + "/v1/metrics";
    }

    /** The meter provider to register {@link OtelEnergyMetrics} on. */
    public MeterProvider meterProvider() {
        return sdk.getSdkMeterProvider();
    }

    /** Where metrics go. */
    public String endpoint() {
        return endpoint;
    }

    /** Exports that failed so far. */
    public long failedExports() {
        return exporters.stream().mapToLong(FailureReportingExporter::failures).sum();
    }

    /** Exports that succeeded so far. */
    public long succeededExports() {
        return exporters.stream().mapToLong(FailureReportingExporter::successes).sum();
    }

    /** Exports what is due now, waiting at most {@code wait}; true if it went through. */
    public boolean flush(Duration wait) {
        return sdk.getSdkMeterProvider().forceFlush().join(wait.toMillis(), TimeUnit.MILLISECONDS).isSuccess();
    }

    /** Exports the last figures and stops, waiting at most {@link #CLOSE_WAIT}. */
    @Override
    public void close() {
        try {
            CompletableResultCode last = sdk.shutdown().join(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (!last.isDone()) {
                exporters.forEach(exporter -> exporter.reportOnce("no answer within "
                        + CLOSE_WAIT.toSeconds() + " s to the last export"));
            }
        } finally {
            for (int i = 0; i < perExportLoggers.size(); i++) {
                perExportLoggers.get(i).setLevel(perExportLevels.get(i));
            }
        }
    }
}
