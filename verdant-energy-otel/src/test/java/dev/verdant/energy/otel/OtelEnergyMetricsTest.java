package dev.verdant.energy.otel;

import static dev.verdant.energy.testing.TestTrackers.busy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.verdant.energy.Component;
import dev.verdant.energy.EnergyReport;
import dev.verdant.energy.TrackedRun;
import dev.verdant.energy.Tracker;
import dev.verdant.energy.testing.TestTrackers;
import dev.verdant.energy.sink.EnergySink;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OtelEnergyMetricsTest {

    @TempDir
    Path noPowercap;

    private Tracker tracker(EnergySink sink) {
        return TestTrackers.estimating(noPowercap, sink);
    }


    private static Optional<MetricData> metric(Collection<MetricData> metrics, String name) {
        return metrics.stream().filter(m -> m.getName().equals(name)).findFirst();
    }

    private static double point(MetricData metric, Attributes attributes) {
        return metric.getDoubleSumData().getPoints().stream().filter(p -> p.getAttributes().equals(attributes))
                .mapToDouble(DoublePointData::getValue).findFirst().orElseThrow();
    }

    @Test
    void theInMemoryReaderSeesHwEnergyHwPowerAndCo2eWithTheConventionsAttributes() throws Exception {
        InMemoryMetricReader reader = InMemoryMetricReader.create();
        try (SdkMeterProvider provider = SdkMeterProvider.builder().registerMetricReader(reader).build();
             OtelEnergyMetrics metrics = OtelEnergyMetrics.register(provider)) {
            EnergyReport report;
            try (TrackedRun run = tracker(metrics).startRun("fit")) {
                Collection<MetricData> live = List.of();
                long giveUpAt = System.nanoTime() + Duration.ofSeconds(60).toNanos(); // bounds the wait; times nothing
                while (metric(live, "hw.power").isEmpty() && System.nanoTime() < giveUpAt) {
                    busy(20);
                    live = reader.collectAllMetrics();
                }
                MetricData power = metric(live, "hw.power").orElseThrow();
                assertThat(power.getUnit()).isEqualTo("W");
                assertThat(power.getDoubleGaugeData().getPoints()).extracting(p -> p.getAttributes().get(OtelEnergyMetrics.HW_TYPE))
                        .contains("cpu", "memory");
                report = run.stop();
            }
            Collection<MetricData> after = reader.collectAllMetrics();
            MetricData energy = metric(after, "hw.energy").orElseThrow();
            assertThat(energy.getUnit()).isEqualTo("J");
            assertThat(energy.getInstrumentationScopeInfo().getName()).isEqualTo(OtelEnergyMetrics.SCOPE);
            assertThat(energy.getDoubleSumData().isMonotonic()).isTrue();
            Attributes cpu = Attributes.of(OtelEnergyMetrics.HW_ID, "cpu", OtelEnergyMetrics.HW_TYPE, "cpu",
                    OtelEnergyMetrics.RUN, "fit", OtelEnergyMetrics.METHOD, "estimated");
            Attributes ram = Attributes.of(OtelEnergyMetrics.HW_ID, "ram", OtelEnergyMetrics.HW_TYPE, "memory",
                    OtelEnergyMetrics.RUN, "fit", OtelEnergyMetrics.METHOD, "estimated");
            assertThat(point(energy, cpu)).isEqualTo(report.energy(Component.CPU).joules());
            assertThat(point(energy, ram)).isEqualTo(report.energy(Component.RAM).joules());
            MetricData co2e = metric(after, "verdant.co2e").orElseThrow();
            assertThat(co2e.getUnit()).isEqualTo("g");
            assertThat(co2e.getDoubleSumData().getPoints().iterator().next().getValue())
                    .isCloseTo(report.emissions().grams(), Offset.offset(1e-12));
            assertThat(metric(after, "hw.power")).isEmpty(); // a finished run draws no power
        }
    }

    @Test
    void aLoopbackOtlpReceiverDecodesVerdantsEnergyMetrics() throws Exception {
        List<String> failures = new ArrayList<>();
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            EnergyReport report;
            try (OtlpExport export = OtlpExport.configured(Map.of("otel.exporter.otlp.endpoint", receiver.endpoint(),
                    "otel.exporter.otlp.protocol", "http/protobuf", "otel.metric.export.interval", "60000",
                    "otel.service.name", "otlp-test"), failures::add);
                 OtelEnergyMetrics metrics = OtelEnergyMetrics.register(export.meterProvider())) {
                assertThat(export.endpoint()).isEqualTo(receiver.endpoint() + "/v1/metrics");
                try (TrackedRun run = tracker(metrics).startRun("train")) {
                    busy(40);
                    report = run.stop();
                }
                assertThat(export.flush(Duration.ofSeconds(30))).isTrue();
                assertThat(export.succeededExports()).isPositive();
            }
            assertThat(failures).isEmpty();
            assertThat(receiver.contentTypes()).contains("application/x-protobuf");
            ExportMetricsServiceRequest request = receiver.received().getFirst();
            assertThat(request.getResourceMetrics(0).getResource().getAttributesList())
                    .anyMatch(kv -> kv.getKey().equals("service.name") && kv.getValue().getStringValue().equals("otlp-test"));
            List<Metric> received = request.getResourceMetricsList().stream()
                    .flatMap(rm -> rm.getScopeMetricsList().stream())
                    .filter(sm -> sm.getScope().getName().equals(OtelEnergyMetrics.SCOPE))
                    .flatMap(sm -> sm.getMetricsList().stream()).toList();
            Metric energy = received.stream().filter(m -> m.getName().equals("hw.energy")).findFirst().orElseThrow();
            assertThat(energy.getUnit()).isEqualTo("J");
            assertThat(energy.getSum().getIsMonotonic()).isTrue();
            NumberDataPoint cpu = energy.getSum().getDataPointsList().stream()
                    .filter(p -> attribute(p.getAttributesList(), "hw.type").equals("cpu")).findFirst().orElseThrow();
            assertThat(attribute(cpu.getAttributesList(), "verdant.run")).isEqualTo("train");
            assertThat(attribute(cpu.getAttributesList(), "verdant.method")).isEqualTo("estimated");
            assertThat(cpu.getAsDouble()).isEqualTo(report.energy(Component.CPU).joules());
            assertThat(received).extracting(Metric::getName).contains("verdant.co2e");
        }
    }

    @Test
    void anEndpointThatRefusesNeverStopsTheTrackerAndIsReportedOnce() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<java.util.logging.LogRecord> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger otel = java.util.logging.Logger.getLogger("io.opentelemetry");
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (record.getLevel().intValue() >= java.util.logging.Level.INFO.intValue()) {
                    logged.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        otel.addHandler(handler);
        try (OtlpExport export = OtlpExport.configured(Map.of("otel.exporter.otlp.endpoint",
                "http://127.0.0.1:" + closedPort, "otel.metric.export.interval", "50",
                "otel.exporter.otlp.timeout", "500"), failures::add);
             OtelEnergyMetrics metrics = OtelEnergyMetrics.register(export.meterProvider())) {
            EnergyReport report;
            try (TrackedRun run = tracker(metrics).startRun("refused")) {
                long giveUpAt = System.nanoTime() + Duration.ofSeconds(60).toNanos(); // bounds the wait; times nothing
                while (export.failedExports() < 3 && System.nanoTime() < giveUpAt) {
                    busy(20);
                }
                report = run.stop();
            }
            assertThat(export.failedExports()).isGreaterThanOrEqualTo(3);
            assertThat(failures).hasSize(1);
            assertThat(failures.getFirst()).contains("127.0.0.1:" + closedPort).contains("tracking goes on");
            // the tracker kept counting all along: its figures are those of the whole run
            assertThat(metrics.figures().reading("refused", Component.CPU).joules())
                    .isEqualTo(report.energy(Component.CPU).joules());
            assertThat(logged).as("no log line per failed export").extracting(r -> r.getLoggerName() + ": " + r.getMessage()).isEmpty();
        } finally {
            otel.removeHandler(handler);
        }
    }

    @Test
    void anEndpointThatNeverAnswersTimesOutOnItsOwnThreadAndIsReportedOnce() throws Exception {
        List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        // accepts connections (the kernel's backlog) and never reads or answers
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            EnergyReport report;
            OtelEnergyMetrics metrics;
            try (OtlpExport export = OtlpExport.configured(Map.of("otel.exporter.otlp.endpoint",
                    "http://127.0.0.1:" + silent.getLocalPort(), "otel.metric.export.interval", "100",
                    "otel.exporter.otlp.timeout", "300"), failures::add)) {
                metrics = OtelEnergyMetrics.register(export.meterProvider());
                try (TrackedRun run = tracker(metrics).startRun("silent")) {
                    long giveUpAt = System.nanoTime() + Duration.ofSeconds(60).toNanos(); // bounds the wait
                    while (export.failedExports() < 2 && System.nanoTime() < giveUpAt) {
                        busy(20);
                    }
                    report = run.stop();
                }
                assertThat(export.failedExports()).isGreaterThanOrEqualTo(2);
            }
            assertThat(failures).hasSize(1);
            assertThat(failures.getFirst()).contains("timed out");
            assertThat(metrics.figures().reading("silent", Component.CPU).joules())
                    .isEqualTo(report.energy(Component.CPU).joules());
        }
    }

    private static String attribute(List<KeyValue> attributes, String key) {
        return attributes.stream().filter(kv -> kv.getKey().equals(key)).map(kv -> kv.getValue().getStringValue())
                .findFirst().orElse("");
    }
}
