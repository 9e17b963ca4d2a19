package dev.verdant.energy.otel;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A metric exporter that tells the first failed export once, in one line, and counts the others: an endpoint that
 * refuses or never answers must not fill the log with a line per export.
 */
final class FailureReportingExporter implements MetricExporter {

    private final MetricExporter delegate;
    private final String endpoint;
    private final Consumer<String> report;
    private final AtomicBoolean reported = new AtomicBoolean();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong successes = new AtomicLong();

    FailureReportingExporter(MetricExporter delegate, String endpoint, Consumer<String> report) {
        this.delegate = delegate;
        this.endpoint = endpoint;
        this.report = report;
    }

    long failures() {
        return failures.get();
    }

    long successes() {
        return successes.get();
    }

    @Override
    public CompletableResultCode export(Collection<MetricData> metrics) {
        CompletableResultCode result = delegate.export(metrics);
        result.whenComplete(() -> {
            if (result.isSuccess()) {
                successes.incrementAndGet();
                return;
            }
            failures.incrementAndGet();
            Throwable cause = result.getFailureThrowable();
            reportOnce(cause == null ? "the export failed or timed out" : describe(cause));
        });
        return result;
    }

    /** Tells {@code why} an export failed, unless a failure was told already. */
    void reportOnce(String why) {
        if (reported.compareAndSet(false, true)) {
            report.accept("cannot export energy metrics to the OTLP endpoint " + endpoint + " (" + why
                    + "); tracking goes on, and further failures are not reported");
        }
    }

    /** The cause in words: a refused connection or a time-out as such, else the first message in the chain. */
    static String describe(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return "connection refused";
            }
            if (t instanceof java.net.http.HttpTimeoutException || t instanceof java.util.concurrent.TimeoutException
                    || t instanceof java.net.SocketTimeoutException) {
                return "timed out";
            }
        }
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage().strip().replaceAll("\\s*\\R\\s*", " ");
            }
        }
        return cause.getClass().getSimpleName();
    }

    @Override
    public CompletableResultCode flush() {
        return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
        return delegate.shutdown();
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
        return delegate.getAggregationTemporality(instrumentType);
    }

    @Override
    public Aggregation getDefaultAggregation(InstrumentType instrumentType) {
        return delegate.getDefaultAggregation(instrumentType);
    }

    @Override
    public MemoryMode getMemoryMode() {
        return delegate.getMemoryMode();
    }
}
