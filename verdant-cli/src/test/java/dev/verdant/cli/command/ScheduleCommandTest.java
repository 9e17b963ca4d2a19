package dev.verdant.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.verdant.cli.Cli;
import dev.verdant.cli.CliRun;
import dev.verdant.cli.ExitCode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ScheduleCommandTest {

    private static final Instant T0 = Instant.parse("2026-11-23T00:00:00Z");
    // Hourly, 12 hours. FR holds a planted clean stretch at 03:00-05:00 that no DE window and no other FR window beats.
    private static final double[] DE = {420, 410, 400, 390, 380, 370, 360, 350, 340, 360, 380, 400};
    private static final double[] FR = {90, 85, 80, 20, 22, 80, 85, 90, 95, 90, 85, 80};

    @TempDir
    Path dir;

    private Path forecastFile() throws IOException {
        StringBuilder sb = new StringBuilder("# generated for a test\nregion,time,intensity_g_per_kwh\n");
        for (int h = 0; h < DE.length; h++) {
            sb.append("DE,").append(T0.plus(Duration.ofHours(h))).append(',').append(DE[h]).append('\n');
            sb.append("FR,").append(T0.plus(Duration.ofHours(h))).append(',').append(FR[h]).append('\n');
        }
        return Files.writeString(dir.resolve("forecast.csv"), sb.toString());
    }

    private static CliRun run(Map<String, String> env, String... args) {
        return runConfigured("schedule", (ScheduleCommand command) -> {
            command.clock = Clock.fixed(T0, ZoneOffset.UTC);
            command.environment = env;
        }, args);
    }

    /**
     * Runs the command line in-process like {@link CliRun#of}, after {@code configure} has set the test's clock
     * and environment on the instance of {@code subcommand} that will run.
     */
    @SuppressWarnings("unchecked")
    static <T> CliRun runConfigured(String subcommand, Consumer<T> configure, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter o = new PrintWriter(out);
        PrintWriter e = new PrintWriter(err);
        CommandLine cli = Cli.create(o, e);
        configure.accept((T) cli.getSubcommands().get(subcommand).getCommandSpec().userObject());
        int code = cli.execute(args);
        o.flush();
        e.flush();
        return new CliRun(code, out.toString(), err.toString());
    }

    @Test
    void jsonNamesTheCleanestRegionAndStartWithTheSaving() throws Exception {
        Path f = forecastFile();
        CliRun r = run(Map.of(), "schedule", "--duration", "2h", "--within", "12h", "--from", T0.toString(),
                "--region", "DE,FR", "--forecast", f.toString(), "--json", "--energy-kwh", "3");

        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("region").asText()).isEqualTo("FR");
        assertThat(json.get("start").asText()).isEqualTo(T0.plus(Duration.ofHours(3)).toString());
        double best = (FR[3] + FR[4]) / 2;
        double now = (DE[0] + DE[1]) / 2;
        assertThat(json.get("average_intensity").asDouble()).isCloseTo(best, within(1e-9));
        assertThat(json.get("saving_percent").asDouble()).isCloseTo(100 * (now - best) / now, within(1e-9));
        assertThat(json.get("now").get("region").asText()).isEqualTo("DE");
        assertThat(json.get("avoided_emissions_g").asDouble()).isCloseTo(3 * (now - best), within(1e-9));
        assertThat(json.get("regions")).hasSize(2);
    }

    @Test
    void textSaysTheBestWindowRunNowAndSaving() throws Exception {
        CliRun r = run(Map.of(), "schedule", "--duration", "2h", "--within", "12h", "--region", "DE,FR", "--forecast", forecastFile().toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Best window: FR, 2026-11-23T03:00:00Z to 2026-11-23T05:00:00Z (starts in 3h)")
                .contains("Run now:     DE")
                .contains("Saving:");
    }

    @Test
    void badInputIsOneLineAndExitCode2() throws Exception {
        String f = forecastFile().toString();
        assertBad(run(Map.of(), "schedule", "--duration", "2h", "--within", "12h", "--region", "PL", "--forecast", f), "unknown region 'PL'");
        assertBad(run(Map.of(), "schedule", "--duration", "2h", "--within", "13h", "--region", "DE", "--forecast", f), "does not cover the window");
        assertBad(run(Map.of(), "schedule", "--duration", "3h", "--within", "2h", "--region", "DE", "--forecast", f), "longer than the window");
        assertBad(run(Map.of(), "schedule", "--duration", "2h", "--within", "12h", "--region", "DE"), "exactly one of --forecast FILE and --provider NAME");
        assertBad(run(Map.of(), "schedule", "--duration", "2h", "--within", "12h", "--region", "DE", "--from", "tomorrow", "--forecast", f), "--from must be");
        assertBad(run(Map.of(), "schedule", "--duration", "two", "--within", "12h", "--region", "DE", "--forecast", f), "not a duration");
        assertBad(run(Map.of(), "schedule", "--duration", "2h", "--within", "12h", "--region", "DE", "--forecast", dir.resolve("none.csv").toString()), "no such file");
        assertBad(run(Map.of(), "schedule", "--duration", "2h", "--within", "12h", "--region", "DE", "--forecast", dir.toString()), "forecast file: " + dir + " is a folder");
        assertBad(run(Map.of(), "schedule", "--duration", "99999999999999h", "--within", "12h", "--region", "DE", "--forecast", f), "longer than 3650 days");
        assertBad(run(Map.of(), "schedule", "--duration", "2h", "--within", "12h", "--region", "DE", "--provider", "electricitymaps"), "ELECTRICITYMAPS_API_KEY");
        assertBad(run(Map.of(), "schedule", "--duration", "2h", "--within", "12h", "--region", "DE", "--provider", "acme"), "unknown provider 'acme'");
    }

    @Test
    void aProviderErrorIsOneLineAndExitCode2() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v3/carbon-intensity/forecast", exchange -> {
            byte[] body = "{\"message\":\"zone DE not in your plan\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(403, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            CliRun r = run(Map.of("ELECTRICITYMAPS_API_KEY", "k"), "schedule", "--duration", "2h", "--within", "12h",
                    "--region", "DE", "--provider", "electricitymaps", "--provider-url", url);
            assertBad(r, "HTTP 403: zone DE not in your plan");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aProviderAnswerIsSearchedLikeAFile() throws Exception {
        HttpServer server = electricityMapsServer("DE", DE);
        try {
            CliRun r = run(Map.of("ELECTRICITYMAPS_API_KEY", "k"), "schedule", "--duration", "1h", "--within", "12h",
                    "--region", "DE", "--provider", "electricitymaps", "--provider-url", "http://127.0.0.1:" + server.getAddress().getPort(), "--json");
            assertThat(r.exitCode()).as(r.err()).isZero();
            JsonNode json = new ObjectMapper().readTree(r.out());
            assertThat(json.get("start").asText()).isEqualTo(T0.plus(Duration.ofHours(8)).toString());
            assertThat(json.get("forecast_source").asText()).isEqualTo("electricitymaps");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aProviderAnswerCanBeRecordedAndReplayedWithTheSameResult() throws Exception {
        HttpServer server = electricityMapsServer("FR", FR);
        Path recorded = dir.resolve("recorded/fr.csv");
        try {
            CliRun live = run(Map.of("ELECTRICITYMAPS_API_KEY", "k"), "schedule", "--duration", "90m", "--within", "12h",
                    "--region", "FR", "--provider", "electricitymaps", "--provider-url", "http://127.0.0.1:" + server.getAddress().getPort(),
                    "--json", "--save-forecast", recorded.toString());
            assertThat(live.exitCode()).as(live.err()).isZero();
            CliRun replay = run(Map.of(), "schedule", "--duration", "90m", "--within", "12h", "--region", "FR",
                    "--forecast", recorded.toString(), "--json");
            assertThat(replay.exitCode()).as(replay.err()).isZero();
            JsonNode a = new ObjectMapper().readTree(live.out());
            JsonNode b = new ObjectMapper().readTree(replay.out());
            assertThat(b.get("start")).isEqualTo(a.get("start"));
            assertThat(b.get("average_intensity").asDouble()).isEqualTo(a.get("average_intensity").asDouble());
            assertThat(Files.readString(recorded)).startsWith("# forecast recorded by verdant schedule from electricitymaps");
            CliRun overwrite = run(Map.of(), "schedule", "--duration", "90m", "--within", "12h", "--region", "FR",
                    "--forecast", recorded.toString(), "--save-forecast", recorded.toString());
            assertBad(overwrite, "refusing to overwrite the input");
        } finally {
            server.stop(0);
        }
    }

    static void assertBad(CliRun r, String message) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(r.err()).contains(message).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.err().strip().lines().count()).as(r.err()).isLessThanOrEqualTo(2);
        assertThat(r.out()).isEmpty();
    }

    /** A loopback server answering Electricity Maps' forecast endpoint with hourly values from T0, as documented. */
    private static HttpServer electricityMapsServer(String zone, double[] hourly) throws java.io.IOException {
        StringBuilder forecast = new StringBuilder("{\"zone\":\"" + zone + "\",\"forecast\":[");
        for (int h = 0; h < hourly.length; h++) {
            forecast.append(h == 0 ? "" : ",").append("{\"carbonIntensity\":").append(hourly[h])
                    .append(",\"datetime\":\"").append(T0.plus(Duration.ofHours(h))).append("\"}");
        }
        forecast.append("]}");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v3/carbon-intensity/forecast", exchange -> {
            byte[] body = forecast.toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }
}
