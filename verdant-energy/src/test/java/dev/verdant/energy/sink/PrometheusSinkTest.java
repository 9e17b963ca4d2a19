package dev.verdant.energy.sink;

import static dev.verdant.energy.testing.TestTrackers.busy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdant.energy.EnergyReport;
import dev.verdant.energy.TrackedRun;
import dev.verdant.energy.Tracker;
import dev.verdant.energy.testing.TestTrackers;
import dev.verdant.energy.testing.PrometheusServer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrometheusSinkTest {

    @TempDir
    Path noPowercap;

    @TempDir
    Path work;

    private Tracker tracker(EnergySink sink) {
        return TestTrackers.estimating(noPowercap, sink);
    }

    private static String scrape(int port) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body();
        }
    }

    private static String text(PrometheusRegistry registry) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aLiveRunIsScrapedOverHttpOnLoopback() throws Exception {
        try (PrometheusSink prometheus = PrometheusSink.serve("127.0.0.1", 0)) {
            assertThat(prometheus.port()).isPositive();
            try (TrackedRun run = tracker(prometheus).startRun("service")) {
                String body = "";
                // patient on a loaded machine: the first sample may take seconds; this bounds the wait, it times nothing
                long giveUpAt = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!body.contains("verdant_power_watts{") && System.nanoTime() < giveUpAt) {
                    Thread.sleep(20);
                    body = scrape(prometheus.port());
                }
                assertThat(body).contains("verdant_power_watts{component=\"cpu\",method=\"estimated\",run=\"service\"}");
                assertThat(body).contains("verdant_energy_joules_total{component=\"ram\",method=\"estimated\",run=\"service\"}");
                assertThat(body).contains("# TYPE verdant_energy_joules_total counter");
                run.stop();
            }
            String after = scrape(prometheus.port());
            assertThat(after).contains("verdant_emissions_grams_total{method=\"estimated\",run=\"service\"}");
            assertThat(after).doesNotContain("verdant_power_watts{"); // a finished run draws nothing
        }
    }

    @Test
    void registersOnTheApplicationsRegistryAndLeavesItOnClose() throws Exception {
        PrometheusRegistry application = new PrometheusRegistry();
        EnergyReport report;
        try (PrometheusSink sink = PrometheusSink.register(application)) {
            assertThatThrownBy(sink::port).isInstanceOf(IllegalStateException.class).hasMessageContaining("registry");
            try (TrackedRun run = tracker(sink).startRun("batch")) {
                busy(50);
                report = run.stop();
            }
            String body = text(application);
            double cpu = report.energy(dev.verdant.energy.Component.CPU).joules();
            assertThat(valueOf(body, "verdant_energy_joules_total{component=\"cpu\",method=\"estimated\",run=\"batch\"}"))
                    .isEqualTo(cpu);
            assertThat(sink.figures().reading("batch", dev.verdant.energy.Component.CPU).joules()).isEqualTo(cpu);
        }
        assertThat(text(application)).doesNotContain("verdant_");
    }

    @Test
    void runsOfOneNameAddUpAndALateSampleIsNotCountedTwice() throws Exception {
        PrometheusSink sink = PrometheusSink.register(new PrometheusRegistry());
        Tracker tracker = tracker(sink);
        EnergyReport first;
        EnergyReport second;
        try (TrackedRun run = tracker.startRun("inference")) {
            busy(30);
            first = run.stop();
        }
        try (TrackedRun run = tracker.startRun("inference")) {
            busy(30);
            second = run.stop();
        }
        double expected = first.itEnergy().joules() + second.itEnergy().joules();
        double counted = sink.figures().readings().stream().mapToDouble(LiveFigures.Reading::joules).sum();
        assertThat(counted).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(sink.figures().emissions("inference").grams())
                .isCloseTo(first.emissions().grams() + second.emissions().grams(), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(sink.figures().emissions("inference").live()).isFalse();
    }

    @Test
    void namedTasksAreCountedAsEachEndsAndAddUpByName() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        PrometheusSink sink = PrometheusSink.register(registry);
        double epochs = 0;
        double epochGrams = 0;
        try (TrackedRun run = tracker(sink).startRun("train")) {
            for (int i = 0; i < 2; i++) {
                try (dev.verdant.energy.TrackedTask epoch = run.task("epoch")) {
                    busy(30);
                    EnergyReport task = epoch.stop();
                    epochs += task.energy(dev.verdant.energy.Component.CPU).joules();
                    epochGrams += task.emissions().grams();
                }
                // counted as the task ends, before the run does
                assertThat(sink.figures().task("train", "epoch").count()).isEqualTo(i + 1);
            }
            String body = text(registry);
            assertThat(valueOf(body, "verdant_task_energy_joules_total{component=\"cpu\",method=\"estimated\",run=\"train\",task=\"epoch\"}"))
                    .isCloseTo(epochs, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(valueOf(body, "verdant_task_emissions_grams_total{method=\"estimated\",run=\"train\",task=\"epoch\"}"))
                    .isCloseTo(epochGrams, org.assertj.core.data.Offset.offset(1e-12));
            run.stop();
        }
    }

    @Test
    void aShortJobsFinalFiguresStayInATextFileForNodeExporter() throws Exception {
        Path file = work.resolve("textfile").resolve("verdant.prom");
        PrometheusTextFile textFile = new PrometheusTextFile(file);
        EnergyReport report;
        try (TrackedRun run = tracker(textFile).startRun("nightly-job")) {
            busy(30);
            report = run.stop();
        }
        String body = Files.readString(file);
        assertThat(body).contains("# TYPE verdant_energy_joules_total counter");
        assertThat(body).contains("verdant_emissions_grams_total{method=\"estimated\",run=\"nightly-job\"}");
        assertThat(body).doesNotContain("verdant_power_watts{");
        assertThat(valueOf(body, "verdant_energy_joules_total{component=\"cpu\",method=\"estimated\",run=\"nightly-job\"}"))
                .isEqualTo(report.energy(dev.verdant.energy.Component.CPU).joules());
        Path promtool = Path.of("/usr/bin/promtool");
        if (Files.isExecutable(promtool)) { // Prometheus's own linter of the text format, from the same package
            Process check = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectInput(file.toFile())
                    .redirectErrorStream(true).start();
            String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(check.waitFor()).as(said).isZero();
        }
        assertThatThrownBy(() -> new PrometheusTextFile(work.resolve("verdant.txt")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(".prom");
    }

    /** node_exporter (Debian's prometheus-node-exporter) reads the file and serves its series, when installed. */
    @Test
    void nodeExportersTextfileCollectorServesTheFile() throws Exception {
        Path binary = Path.of("/usr/bin/prometheus-node-exporter");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(binary),
                "prometheus-node-exporter is not installed (Debian package prometheus-node-exporter): skipping");
        Path folder = Files.createDirectories(work.resolve("collector"));
        PrometheusTextFile textFile = new PrometheusTextFile(folder.resolve("verdant.prom"));
        try (TrackedRun run = tracker(textFile).startRun("cron")) {
            busy(30);
            run.stop();
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Process exporter = new ProcessBuilder(binary.toString(), "--collector.disable-defaults",
                "--collector.textfile", "--collector.textfile.directory=" + folder,
                "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true)
                .redirectOutput(work.resolve("node-exporter.log").toFile()).start();
        try {
            String body = "";
            long giveUpAt = System.nanoTime() + Duration.ofSeconds(60).toNanos(); // bounds the start-up wait
            while (!body.contains("verdant_energy_joules_total{") && System.nanoTime() < giveUpAt && exporter.isAlive()) {
                Thread.sleep(100);
                try {
                    body = scrape(port);
                } catch (java.io.IOException notYet) {
                    body = "";
                }
            }
            assertThat(body).as(Files.readString(work.resolve("node-exporter.log")))
                    .contains("verdant_energy_joules_total{component=\"cpu\",method=\"estimated\",run=\"cron\"}")
                    .contains("node_textfile_scrape_error 0");
        } finally {
            exporter.destroy();
            exporter.waitFor();
        }
    }

    /**
     * A real Prometheus server scrapes a running tracker and returns the series through its query API; every query of
     * the Grafana dashboard in docs/ runs on it and returns data.
     */
    @Test
    void aRealPrometheusServerScrapesATrackedRunAndAnswersTheDashboardsQueries() throws Exception {
        PrometheusServer.assumeInstalled();
        try (PrometheusSink sink = PrometheusSink.serve("127.0.0.1", 0);
             TrackedRun run = tracker(sink).startRun("scraped");
             PrometheusServer prometheus = PrometheusServer.start(work, "/metrics", "127.0.0.1:" + sink.port())) {
            try (dev.verdant.energy.TrackedTask warmup = run.task("warmup")) {
                busy(30);
                warmup.stop();
            }
            JsonNode result = prometheus.awaitSeries("verdant_energy_joules_total{run=\"scraped\"}", Duration.ofSeconds(60));
            assertThat(result).as(prometheus.log()).isNotEmpty();
            JsonNode series = result.get(0);
            assertThat(series.path("metric").path("__name__").asText()).isEqualTo("verdant_energy_joules_total");
            assertThat(series.path("metric").path("job").asText()).isEqualTo("verdant");
            assertThat(series.path("metric").path("method").asText()).isEqualTo("estimated");
            assertThat(series.path("metric").path("component").asText()).isIn("cpu", "ram");
            assertThat(Double.parseDouble(series.path("value").get(1).asText())).isGreaterThanOrEqualTo(0);
            JsonNode up = prometheus.query("up{job=\"verdant\"}");
            assertThat(up.get(0).path("value").get(1).asText()).isEqualTo("1");

            JsonNode dashboard = dev.verdant.io.Json.mapper().readTree(Path.of("../docs/grafana/verdant-energy.json").toFile());
            List<String> expressions = new java.util.ArrayList<>();
            dashboard.path("panels").forEach(panel -> panel.path("targets").forEach(target ->
                    expressions.add(target.path("expr").asText())));
            assertThat(expressions).hasSizeGreaterThanOrEqualTo(10);
            for (String expression : expressions) {
                String promql = expression.replace("$run", ".*").replace("$task", ".*")
                        .replace("$__rate_interval", "1m").replace("$__range", "5m");
                // rates need two scrapes: patient, bounded
                assertThat(prometheus.awaitSeries(promql, Duration.ofSeconds(30))).as(promql).isNotEmpty();
            }
            run.stop();
        }
    }

    private static double valueOf(String body, String series) {
        for (String line : body.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).strip());
            }
        }
        throw new AssertionError("no " + series + " in\n" + body);
    }

}
