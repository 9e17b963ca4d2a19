package dev.verdant.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdant.energy.testing.PrometheusServer;
import dev.verdant.io.Json;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verdant track} feeding JFR, Prometheus (live, after the run, through a text file) and their bad input. */
class TrackObservabilityTest {

    @TempDir
    Path out;

    private JsonNode runJson(String prefix) throws Exception {
        try (var files = Files.list(out)) {
            return Json.mapper().readTree(files.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && p.toString().endsWith(".json")).findFirst().orElseThrow().toFile());
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void jfrRecordsTheSamplesAndTheRunWithItsEnergy() throws Exception {
        Path jfr = out.resolve("rec").resolve("out.jfr");
        CliRun run = CliRun.of("track", "--country", "FR", "--interval-ms", "50", "--jfr", jfr.toString(), "--out",
                out.toString(), "--", "sh", "-c", "sleep 0.4");
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<RecordedEvent> events = RecordingFile.readAllEvents(jfr);
        List<RecordedEvent> runs = events.stream()
                .filter(e -> e.getEventType().getName().equals("dev.verdant.TrackedTask")).toList();
        assertThat(runs).hasSize(1);
        JsonNode json = runJson("sh-");
        assertThat(runs.getFirst().getString("kind")).isEqualTo("run");
        assertThat(runs.getFirst().getString("runId")).isEqualTo(json.get("run_id").asText());
        assertThat(runs.getFirst().getDouble("facilityJoules")).isEqualTo(json.get("energy_j").asDouble());
        assertThat(events).anyMatch(e -> e.getEventType().getName().equals("dev.verdant.EnergySample")
                && e.getString("run").equals("sh"));
    }

    @Test
    void aPortAlreadyInUseIsOneLineNamingItAndExitTwo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            CliRun run = CliRun.of("track", "--prometheus-port", String.valueOf(port), "--out", out.toString(), "--",
                    "true");
            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err().strip()).doesNotContain("\n").contains("--prometheus-port " + port)
                    .contains("already in use");
            assertThat(out.resolve("emissions.csv")).doesNotExist(); // the command never ran
        }
        CliRun graceAlone = CliRun.of("track", "--prometheus-grace", "5s", "--out", out.toString(), "--", "true");
        assertThat(graceAlone.exitCode()).isEqualTo(2);
        assertThat(graceAlone.err()).contains("--prometheus-port");
        CliRun notProm = CliRun.of("track", "--prometheus-textfile", out.resolve("x.txt").toString(), "--out",
                out.toString(), "--", "true");
        assertThat(notProm.exitCode()).isEqualTo(2);
        assertThat(notProm.err()).contains(".prom");
        java.nio.file.Path aFile = Files.writeString(out.resolve("a-file"), "not a folder");
        CliRun jfrInAFile = CliRun.of("track", "--jfr", aFile.resolve("run.jfr").toString(), "--out", out.toString(),
                "--", "sh", "-c", "touch '" + out.resolve("ran") + "'");
        assertThat(jfrInAFile.exitCode()).isEqualTo(2);
        assertThat(jfrInAFile.err().strip()).contains("a-file").doesNotContain("\n");
        assertThat(out.resolve("ran")).doesNotExist(); // refused before the command started
    }

    @Test
    void anOtlpEndpointThatRefusesIsReportedOnceAndTheCommandRunsOn() throws Exception {
        int closedPort = freePort();
        System.setProperty("otel.exporter.otlp.endpoint", "http://127.0.0.1:" + closedPort);
        System.setProperty("otel.metric.export.interval", "100");
        try {
            CliRun run = CliRun.of("track", "--country", "FR", "--interval-ms", "50", "--otlp", "--out",
                    out.toString(), "--", "sh", "-c", "sleep 1; exit 4");
            assertThat(run.exitCode()).as(run.err()).isEqualTo(4);
            assertThat(run.err().lines().filter(line -> line.contains("cannot export energy metrics"))).hasSize(1);
            assertThat(run.err()).contains("127.0.0.1:" + closedPort + "/v1/metrics (connection refused)")
                    .doesNotContain("Exception");
            assertThat(runJson("sh-").get("energy_j").asDouble()).isGreaterThanOrEqualTo(0);
            System.setProperty("otel.exporter.otlp.protocol", "grpc"); // not bundled: one line that says so
            CliRun grpc = CliRun.of("track", "--otlp", "--out", out.toString(), "--", "true");
            assertThat(grpc.exitCode()).isEqualTo(2);
            assertThat(grpc.err().strip()).startsWith("verdant: --otlp: ").contains("Grpc").doesNotContain("\n");
            System.setProperty("otel.exporter.otlp.protocol", "carrier-pigeon");
            CliRun bad = CliRun.of("track", "--otlp", "--out", out.toString(), "--", "true");
            assertThat(bad.exitCode()).isEqualTo(2);
            assertThat(bad.err().strip()).startsWith("verdant: --otlp: ").contains("carrier-pigeon").doesNotContain("\n");
        } finally {
            System.clearProperty("otel.exporter.otlp.endpoint");
            System.clearProperty("otel.metric.export.interval");
            System.clearProperty("otel.exporter.otlp.protocol");
        }
    }

    @Test
    void aShortJobsFiguresStayInTheTextFile() throws Exception {
        Path prom = out.resolve("textfile").resolve("verdant.prom");
        CliRun run = CliRun.of("track", "--country", "FR", "--prometheus-textfile", prom.toString(), "--out",
                out.toString(), "--", "true");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Files.readString(prom)).contains("verdant_energy_joules_total{component=\"cpu\"")
                .contains("run=\"true\"").contains("verdant_emissions_grams_total{");
    }

    /**
     * A job far shorter than the scrape interval: Prometheus sees it only because track keeps serving its final
     * figures for the grace period, and returns them through its query API.
     */
    @Test
    void aRealPrometheusScrapesAShortJobDuringTheGracePeriod() throws Exception {
        PrometheusServer.assumeInstalled();
        int port = freePort();
        try (PrometheusServer prometheus = PrometheusServer.start(Files.createDirectories(out.resolve("prom")),
                "/metrics", "127.0.0.1:" + port)) {
            CompletableFuture<CliRun> track = CompletableFuture.supplyAsync(() -> CliRun.of("track", "--country", "FR",
                    "--prometheus-port", String.valueOf(port), "--prometheus-grace", "10s", "--out", out.toString(),
                    "--", "sh", "-c", "i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done"));
            JsonNode result = prometheus.awaitSeries("verdant_energy_joules_total{run=\"sh\",component=\"cpu\"}",
                    Duration.ofSeconds(30));
            // the series Prometheus holds is the run's final figure, written after the command ended
            JsonNode json = null;
            long giveUpAt = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (json == null && System.nanoTime() < giveUpAt) {
                try {
                    json = runJson("sh-");
                } catch (java.util.NoSuchElementException notYet) {
                    Thread.sleep(100);
                }
            }
            assertThat(json).isNotNull();
            double finalCpu = json.get("components").get("cpu").get("energy_j").asDouble();
            JsonNode last = prometheus.awaitSeries("verdant_energy_joules_total{run=\"sh\",component=\"cpu\"} == "
                    + finalCpu, Duration.ofSeconds(15));
            assertThat(result).as(prometheus.log()).isNotEmpty();
            assertThat(last).as(prometheus.log()).hasSize(1);
            assertThat(last.get(0).path("metric").path("method").asText()).isEqualTo(
                    json.get("components").get("cpu").get("method").asText());
            CliRun run = track.get(60, TimeUnit.SECONDS);
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.err()).contains("serving the final figures for 10s more");
        }
    }
}
