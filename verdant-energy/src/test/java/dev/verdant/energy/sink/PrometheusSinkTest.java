package dev.verdant.energy.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdant.energy.EnergyConfig;
import dev.verdant.energy.TrackedRun;
import dev.verdant.energy.Tracker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrometheusSinkTest {

    @TempDir
    Path noPowercap;

    private static String scrape(int port) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body();
        }
    }

    @Test
    void aLiveRunIsScrapedOverHttpOnLoopback() throws Exception {
        try (PrometheusSink prometheus = PrometheusSink.serve("127.0.0.1", 0)) {
            assertThat(prometheus.port()).isPositive();
            Tracker tracker = Tracker.builder().sink(prometheus).config(EnergyConfig.builder()
                    .powercapRoots(List.of(noPowercap)).useGpu(false).country("DE")
                    .sampleInterval(Duration.ofMillis(20)).build()).build();
            try (TrackedRun run = tracker.startRun("service")) {
                String body = "";
                // patient on a loaded machine: the first sample may take seconds; this bounds the wait, it times nothing
                long giveUpAt = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!body.contains("verdant_power_watts{") && System.nanoTime() < giveUpAt) {
                    Thread.sleep(20);
                    body = scrape(prometheus.port());
                }
                assertThat(body).contains("verdant_power_watts{component=\"cpu\",run=\"service\"}");
                assertThat(body).contains("verdant_energy_joules_total{component=\"ram\",run=\"service\"}");
                assertThat(body).contains("# TYPE verdant_energy_joules_total counter");
                run.stop();
            }
            String after = scrape(prometheus.port());
            assertThat(after).contains("verdant_emissions_grams_total{run=\"service\"}");
            assertThat(after).doesNotContain("verdant_power_watts{"); // a finished run draws nothing
        }
    }
}
