package dev.verdant.energy.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ElectricityMapsSourceTest {

    private static final String PATH = "/v3/carbon-intensity/forecast";
    // The documented shape: zone, forecast [{carbonIntensity, datetime}], updatedAt.
    private static final String BODY = """
            {"zone":"DE","forecast":[
              {"carbonIntensity":420,"datetime":"2026-11-23T00:00:00.000Z"},
              {"carbonIntensity":380,"datetime":"2026-11-23T01:00:00.000Z"},
              {"carbonIntensity":300,"datetime":"2026-11-23T02:00:00.000Z"}],
             "updatedAt":"2026-11-22T23:52:11.000Z"}""";

    private static ForecastQuery query(String zone) {
        Instant from = Instant.parse("2026-11-23T00:00:00Z");
        return new ForecastQuery(zone, from, from.plus(Duration.ofHours(3)), Duration.ofHours(1));
    }

    @Test
    void readsTheDocumentedForecastAndSendsTheKeyInAuthToken() throws Exception {
        try (LoopbackServer server = new LoopbackServer().on(PATH, LoopbackServer.Reply.json(BODY));
                ElectricityMapsSource source = new ElectricityMapsSource(server.baseUrl(), "secret-key", LoopbackServer.fastSettings())) {
            Forecast f = source.forecast(query("DE"));

            assertThat(f.points()).extracting(p -> p.intensity().gramsPerKilowattHour()).containsExactly(420.0, 380.0, 300.0);
            assertThat(f.start()).isEqualTo(Instant.parse("2026-11-23T00:00:00Z"));
            // The last value holds for the step before it: the forecast ends an hour after its last time.
            assertThat(f.end()).isEqualTo(Instant.parse("2026-11-23T03:00:00Z"));
            LoopbackServer.Seen request = server.requests(PATH).getFirst();
            assertThat(request.header("auth-token")).isEqualTo("secret-key");
            assertThat(request.query()).isEqualTo("zone=DE");
        }
    }

    @Test
    void temporalGranularitySetsTheLengthOfTheLastPoint() throws Exception {
        String body = """
                {"zone":"FR","temporalGranularity":"15_minutes","forecast":[
                  {"carbonIntensity":50,"datetime":"2026-11-23T00:00:00Z"}]}""";
        try (LoopbackServer server = new LoopbackServer().on(PATH, LoopbackServer.Reply.json(body));
                ElectricityMapsSource source = new ElectricityMapsSource(server.baseUrl(), "k", LoopbackServer.fastSettings())) {
            Forecast f = source.forecast(query("FR"));
            assertThat(f.end()).isEqualTo(f.start().plus(Duration.ofMinutes(15)));
        }
    }

    @Test
    void a4xxIsReportedOnceWithTheProvidersMessageAndNotRetried() throws Exception {
        try (LoopbackServer server = new LoopbackServer().on(PATH,
                        LoopbackServer.Reply.status(401, "{\"status\":\"error\",\"message\":\"Invalid auth-token\"}"));
                ElectricityMapsSource source = new ElectricityMapsSource(server.baseUrl(), "bad", LoopbackServer.fastSettings())) {
            assertThatThrownBy(() -> source.forecast(query("DE")))
                    .isInstanceOf(ForecastException.class)
                    .hasMessageContaining("HTTP 401")
                    .hasMessageContaining("Invalid auth-token")
                    .message().doesNotContain("\n");
            assertThat(server.requests(PATH)).hasSize(1);
        }
    }

    @Test
    void a5xxIsRetriedAndALaterSuccessIsUsed() throws Exception {
        try (LoopbackServer server = new LoopbackServer().on(PATH,
                        LoopbackServer.Reply.status(503, "busy"), LoopbackServer.Reply.json(BODY));
                ElectricityMapsSource source = new ElectricityMapsSource(server.baseUrl(), "k", LoopbackServer.fastSettings())) {
            assertThat(source.forecast(query("DE")).points()).hasSize(3);
            assertThat(server.requests(PATH)).hasSize(2);
        }
    }

    @Test
    void persistent5xxGivesUpAfterTheBoundedNumberOfAttempts() throws Exception {
        try (LoopbackServer server = new LoopbackServer().on(PATH, LoopbackServer.Reply.status(500, "{\"message\":\"internal\"}"));
                ElectricityMapsSource source = new ElectricityMapsSource(server.baseUrl(), "k", LoopbackServer.fastSettings())) {
            assertThatThrownBy(() -> source.forecast(query("DE")))
                    .isInstanceOf(ForecastException.class)
                    .hasMessageContaining("HTTP 500")
                    .hasMessageContaining("3 attempts");
            assertThat(server.requests(PATH)).hasSize(3);
        }
    }

    @Test
    void aMalformedBodyIsAClearError() throws Exception {
        try (LoopbackServer server = new LoopbackServer().on(PATH, LoopbackServer.Reply.json("<html>oops</html>"));
                ElectricityMapsSource source = new ElectricityMapsSource(server.baseUrl(), "k", LoopbackServer.fastSettings())) {
            assertThatThrownBy(() -> source.forecast(query("DE")))
                    .isInstanceOf(ForecastException.class)
                    .hasMessageContaining("not JSON");
        }
        try (LoopbackServer server = new LoopbackServer().on(PATH, LoopbackServer.Reply.json("{\"zone\":\"DE\",\"forecast\":[{\"datetime\":\"2026-11-23T00:00:00Z\"}]}"));
                ElectricityMapsSource source = new ElectricityMapsSource(server.baseUrl(), "k", LoopbackServer.fastSettings())) {
            assertThatThrownBy(() -> source.forecast(query("DE")))
                    .isInstanceOf(ForecastException.class)
                    .hasMessageContaining("no carbonIntensity");
        }
    }

    @Test
    void aServerSlowerThanTheTimeoutIsRetriedThenReportedAsATimeout() throws Exception {
        try (LoopbackServer server = new LoopbackServer().on(PATH, LoopbackServer.Reply.slow(Duration.ofSeconds(3), BODY));
                ElectricityMapsSource source = new ElectricityMapsSource(server.baseUrl(), "k",
                        new HttpSettings(Duration.ofMillis(500), Duration.ofMillis(150), 2, Duration.ofMillis(10)))) {
            assertThatThrownBy(() -> source.forecast(query("DE")))
                    .isInstanceOf(ForecastException.class)
                    .hasMessageContaining("no answer within")
                    .hasMessageContaining("2 attempts");
            assertThat(server.requests(PATH)).hasSize(2);
        }
    }

    @Test
    void theKeyComesFromTheEnvironment() throws Exception {
        assertThatThrownBy(() -> ElectricityMapsSource.fromEnvironment(Map.of(), null, HttpSettings.defaults()))
                .isInstanceOf(ForecastException.class)
                .hasMessageContaining(ElectricityMapsSource.API_KEY_ENV);
        try (LoopbackServer server = new LoopbackServer().on(PATH, LoopbackServer.Reply.json(BODY));
                ElectricityMapsSource source = ElectricityMapsSource.fromEnvironment(
                        Map.of(ElectricityMapsSource.API_KEY_ENV, "env-key", ElectricityMapsSource.URL_ENV, server.baseUrl() + "/"),
                        null, LoopbackServer.fastSettings())) {
            source.forecast(query("DE"));
            assertThat(server.requests(PATH).getFirst().header("auth-token")).isEqualTo("env-key");
        }
    }
}
