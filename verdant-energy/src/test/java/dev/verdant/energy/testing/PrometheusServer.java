package dev.verdant.energy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdant.io.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Prometheus server (Debian's {@code prometheus} package) started for one test on 127.0.0.1, on a free port,
 * with a temporary configuration and storage folder, scraping the given targets every second. Never the system's
 * service: a test that needs it skips, naming the package, when {@code /usr/bin/prometheus} is absent.
 */
public final class PrometheusServer implements AutoCloseable {

    /** Where Debian's package puts the server. */
    public static final Path BINARY = Path.of(System.getenv().getOrDefault("VERDANT_PROMETHEUS", "/usr/bin/prometheus"));

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private PrometheusServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Skips the calling test, naming the package, when the Prometheus server is not installed. */
    public static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(BINARY), "the Prometheus server " + BINARY + " is missing "
                + "(Debian package prometheus; .ci/run installs it): skipping the real-scrape test");
    }

    /**
     * Starts a server in {@code folder} scraping {@code targets} ({@code 127.0.0.1:PORT}) at {@code metricsPath}
     * every second, and waits until it answers.
     */
    public static PrometheusServer start(Path folder, String metricsPath, String... targets) throws Exception {
        assumeInstalled();
        int port = freePort();
        StringBuilder list = new StringBuilder();
        for (String target : targets) {
            list.append(list.isEmpty() ? "" : ", ").append('\'').append(target).append('\'');
        }
        Path config = folder.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: verdant
                    scrape_interval: 1s
                    scrape_timeout: 1s
                    metrics_path: %s
                    static_configs:
                      - targets: [%s]
                """.formatted(metricsPath, list));
        Path storage = Files.createDirectories(folder.resolve("data"));
        Path log = folder.resolve("prometheus.log");
        Process process = new ProcessBuilder(BINARY.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + storage, "--web.listen-address=127.0.0.1:" + port,
                "--storage.tsdb.retention.time=1h")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusServer server = new PrometheusServer(process, port, log);
        // bounds the wait for a server on a loaded machine; it times nothing
        long giveUpAt = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!server.ready()) {
            if (!process.isAlive() || System.nanoTime() > giveUpAt) {
                server.close();
                throw new IllegalStateException("Prometheus did not start on 127.0.0.1:" + port + ": "
                        + Files.readString(log));
            }
            Thread.sleep(100);
        }
        return server;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private boolean ready() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The port the server's web API listens on. */
    public int port() {
        return port;
    }

    /** The server's log so far, for a failure message. */
    public String log() throws IOException {
        return Files.readString(log);
    }

    /** An instant query through {@code /api/v1/query}: the {@code data.result} array. */
    public JsonNode query(String promql) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = Json.mapper().readTree(response.body());
        if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new IllegalStateException("query " + promql + " failed: " + response.body());
        }
        return body.path("data").path("result");
    }

    /** Queries until the result holds a series or {@code patience} ends; the last result. */
    public JsonNode awaitSeries(String promql, Duration patience) throws Exception {
        long giveUpAt = System.nanoTime() + patience.toNanos();
        JsonNode result = query(promql);
        while (result.isEmpty() && System.nanoTime() < giveUpAt) {
            Thread.sleep(250);
            result = query(promql);
        }
        return result;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
