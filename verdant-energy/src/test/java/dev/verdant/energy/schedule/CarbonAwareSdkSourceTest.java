package dev.verdant.energy.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CarbonAwareSdkSourceTest {

    private static final String PATH = "/emissions/forecasts/current";
    // The documented shape: an array of forecasts, each with optimalDataPoints and forecastData
    // [{location, timestamp, duration (minutes), value}].
    private static final String BODY = """
            [{"requestedAt":"2026-11-23T00:00:00+00:00","generatedAt":"2026-11-22T23:55:00+00:00",
              "location":"northeurope","dataStartAt":"2026-11-23T00:00:00Z","dataEndAt":"2026-11-23T00:30:00Z",
              "windowSize":20,
              "optimalDataPoints":[{"location":"IE","timestamp":"2026-11-23T00:10:00+00:00","duration":10,"value":300.5}],
              "forecastData":[
                {"location":"IE","timestamp":"2026-11-23T00:00:00+00:00","duration":10,"value":500.0},
                {"location":"IE","timestamp":"2026-11-23T00:10:00+00:00","duration":10,"value":300.5},
                {"location":"IE","timestamp":"2026-11-23T00:20:00+00:00","duration":10,"value":310.0}]}]""";

    private static ForecastQuery query() {
        Instant from = Instant.parse("2026-11-23T00:00:00Z");
        return new ForecastQuery("northeurope", from, from.plus(Duration.ofMinutes(30)), Duration.ofMinutes(20));
    }

    @Test
    void readsForecastDataWithTheirDurationsAndSendsTheWindow() throws Exception {
        try (LoopbackServer server = new LoopbackServer().on(PATH, LoopbackServer.Reply.json(BODY));
                CarbonAwareSdkSource source = new CarbonAwareSdkSource(server.baseUrl(), LoopbackServer.fastSettings())) {
            Forecast f = source.forecast(query());

            assertThat(f.points()).extracting(p -> p.intensity().gramsPerKilowattHour()).containsExactly(500.0, 300.5, 310.0);
            assertThat(f.points()).extracting(ForecastPoint::duration).containsOnly(Duration.ofMinutes(10));
            assertThat(f.end()).isEqualTo(Instant.parse("2026-11-23T00:30:00Z"));
            String query = URLDecoder.decode(server.requests(PATH).getFirst().query(), StandardCharsets.UTF_8);
            assertThat(query).isEqualTo("location=northeurope&dataStartAt=2026-11-23T00:00:00Z"
                    + "&dataEndAt=2026-11-23T00:30:00Z&windowSize=20");
        }
    }

    @Test
    void validationProblemDetailsAreReportedAndNotRetried() throws Exception {
        String problem = """
                {"type":"https://tools.ietf.org/html/rfc7231#section-6.5.1","title":"ArgumentException","status":400,
                 "detail":"Location 'nowhere' not found"}""";
        try (LoopbackServer server = new LoopbackServer().on(PATH, LoopbackServer.Reply.status(400, problem));
                CarbonAwareSdkSource source = new CarbonAwareSdkSource(server.baseUrl(), LoopbackServer.fastSettings())) {
            assertThatThrownBy(() -> source.forecast(query()))
                    .isInstanceOf(ForecastException.class)
                    .hasMessageContaining("HTTP 400")
                    .hasMessageContaining("Location 'nowhere' not found");
            assertThat(server.requests(PATH)).hasSize(1);
        }
    }

    @Test
    void malformedBodiesServerErrorsAndTimeoutsAreClear() throws Exception {
        try (LoopbackServer server = new LoopbackServer().on(PATH, LoopbackServer.Reply.json("{\"not\":\"an array\"}"));
                CarbonAwareSdkSource source = new CarbonAwareSdkSource(server.baseUrl(), LoopbackServer.fastSettings())) {
            assertThatThrownBy(() -> source.forecast(query())).hasMessageContaining("expected a non-empty array");
        }
        try (LoopbackServer server = new LoopbackServer().on(PATH, LoopbackServer.Reply.json(BODY.replace("\"duration\":10", "\"duration\":0")));
                CarbonAwareSdkSource source = new CarbonAwareSdkSource(server.baseUrl(), LoopbackServer.fastSettings())) {
            assertThatThrownBy(() -> source.forecast(query())).hasMessageContaining("positive duration");
        }
        try (LoopbackServer server = new LoopbackServer().on(PATH, LoopbackServer.Reply.status(500, ""), LoopbackServer.Reply.json(BODY));
                CarbonAwareSdkSource source = new CarbonAwareSdkSource(server.baseUrl(), LoopbackServer.fastSettings())) {
            assertThat(source.forecast(query()).points()).hasSize(3);
            assertThat(server.requests(PATH)).hasSize(2);
        }
        try (LoopbackServer server = new LoopbackServer().on(PATH, LoopbackServer.Reply.slow(Duration.ofSeconds(3), BODY));
                CarbonAwareSdkSource source = new CarbonAwareSdkSource(server.baseUrl(),
                        new HttpSettings(Duration.ofMillis(500), Duration.ofMillis(150), 1, Duration.ofMillis(10)))) {
            assertThatThrownBy(() -> source.forecast(query()))
                    .hasMessageContaining("no answer within")
                    .hasMessageContaining("1 attempt)");
        }
    }

    @Test
    void aClosedPortIsAConnectionFailureNotAHang() throws Exception {
        java.net.URI dead;
        try (LoopbackServer server = new LoopbackServer()) {
            dead = server.baseUrl();
        }
        try (CarbonAwareSdkSource source = new CarbonAwareSdkSource(dead, LoopbackServer.fastSettings())) {
            assertThatThrownBy(() -> source.forecast(query()))
                    .isInstanceOf(ForecastException.class)
                    .hasMessageContaining("cannot connect");
        }
    }

    @Test
    void theBaseUrlIsRequired() {
        assertThatThrownBy(() -> CarbonAwareSdkSource.fromEnvironment(Map.of(), null, HttpSettings.defaults()))
                .isInstanceOf(ForecastException.class)
                .hasMessageContaining(CarbonAwareSdkSource.URL_ENV);
    }
}
