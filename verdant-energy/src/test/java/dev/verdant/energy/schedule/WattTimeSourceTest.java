package dev.verdant.energy.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WattTimeSourceTest {

    private static final String LOGIN = "/login";
    private static final String FORECAST = "/v3/forecast";
    private static final String TOKEN = "{\"token\":\"jwt-abc\"}";
    // The documented v3 shape: data [{point_time, value}], meta {data_point_period_seconds, units, ...}.
    private static final String BODY = """
            {"data":[
              {"point_time":"2026-11-23T00:00:00+00:00","value":1000.0},
              {"point_time":"2026-11-23T00:05:00+00:00","value":900.0}],
             "meta":{"data_point_period_seconds":300,"region":"CAISO_NORTH","signal_type":"co2_moer",
                     "units":"lbs_co2_per_mwh","generated_at":"2026-11-22T23:55:00+00:00",
                     "model":{"date":"2026-03-01"},"warnings":[]}}""";

    /** A server that logs in with {@link #TOKEN} and answers the forecast with {@code forecast}. */
    private static LoopbackServer loggingIn(LoopbackServer.Reply forecast) throws IOException {
        return new LoopbackServer().on(LOGIN, LoopbackServer.Reply.json(TOKEN)).on(FORECAST, forecast);
    }

    private static ForecastQuery query() {
        Instant from = Instant.parse("2026-11-23T00:00:00Z");
        return new ForecastQuery("CAISO_NORTH", from, from.plus(Duration.ofMinutes(10)), Duration.ofMinutes(5));
    }

    @Test
    void logsInWithBasicAuthThenConvertsPoundsPerMwhExactly() throws Exception {
        try (LoopbackServer server = loggingIn(LoopbackServer.Reply.json(BODY));
                WattTimeSource source = new WattTimeSource(server.baseUrl(), "ada", "pw:1", LoopbackServer.fastSettings())) {
            Forecast f = source.forecast(query());

            // 1 lb = 453.59237 g and 1 MWh = 1000 kWh.
            assertThat(f.points()).extracting(p -> p.intensity().gramsPerKilowattHour())
                    .containsExactly(1000.0 * 453.59237 / 1000, 900.0 * 453.59237 / 1000);
            assertThat(f.end()).isEqualTo(Instant.parse("2026-11-23T00:10:00Z"));
            String basic = server.requests(LOGIN).getFirst().header("Authorization");
            assertThat(new String(Base64.getDecoder().decode(basic.substring("Basic ".length())), StandardCharsets.UTF_8))
                    .isEqualTo("ada:pw:1");
            LoopbackServer.Seen request = server.requests(FORECAST).getFirst();
            assertThat(request.header("Authorization")).isEqualTo("Bearer jwt-abc");
            assertThat(request.query()).isEqualTo("region=CAISO_NORTH&signal_type=co2_moer");
        }
    }

    @Test
    void oneLoginServesSeveralRegions() throws Exception {
        try (LoopbackServer server = loggingIn(LoopbackServer.Reply.json(BODY));
                WattTimeSource source = new WattTimeSource(server.baseUrl(), "u", "p", LoopbackServer.fastSettings())) {
            source.forecast(query());
            source.forecast(query());
            assertThat(server.requests(LOGIN)).hasSize(1);
            assertThat(server.requests(FORECAST)).hasSize(2);
        }
    }

    @Test
    void theConversionConstantIsExact() {
        assertThat(WattTimeSource.GRAMS_PER_KWH_PER_LBS_PER_MWH).isEqualTo(453.59237 / 1000.0, within(0.0));
    }

    @Test
    void aRejectedLoginIsOneLineAndNotRetried() throws Exception {
        try (LoopbackServer server = new LoopbackServer()
                        .on(LOGIN, LoopbackServer.Reply.status(403, "{\"error\":\"invalid credentials\"}"));
                WattTimeSource source = new WattTimeSource(server.baseUrl(), "u", "wrong", LoopbackServer.fastSettings())) {
            assertThatThrownBy(() -> source.forecast(query()))
                    .isInstanceOf(ForecastException.class)
                    .hasMessageContaining("HTTP 403")
                    .hasMessageContaining("invalid credentials");
            assertThat(server.requests(LOGIN)).hasSize(1);
            assertThat(server.requests(FORECAST)).isEmpty();
        }
    }

    @Test
    void errorsMalformedBodiesAndTimeoutsOnTheForecastAreClear() throws Exception {
        try (LoopbackServer server = loggingIn(LoopbackServer.Reply.status(502, "bad gateway"));
                WattTimeSource source = new WattTimeSource(server.baseUrl(), "u", "p", LoopbackServer.fastSettings())) {
            assertThatThrownBy(() -> source.forecast(query())).hasMessageContaining("HTTP 502");
            assertThat(server.requests(FORECAST)).hasSize(3);
        }
        try (LoopbackServer server = loggingIn(LoopbackServer.Reply.json("{\"meta\":{}}"));
                WattTimeSource source = new WattTimeSource(server.baseUrl(), "u", "p", LoopbackServer.fastSettings())) {
            assertThatThrownBy(() -> source.forecast(query())).hasMessageContaining("no \"data\" array");
        }
        try (LoopbackServer server = loggingIn(LoopbackServer.Reply.json(BODY.replace("lbs_co2_per_mwh", "percentile")));
                WattTimeSource source = new WattTimeSource(server.baseUrl(), "u", "p", LoopbackServer.fastSettings())) {
            assertThatThrownBy(() -> source.forecast(query())).hasMessageContaining("unexpected units 'percentile'");
        }
        try (LoopbackServer server = loggingIn(LoopbackServer.Reply.slow(Duration.ofSeconds(3), BODY));
                WattTimeSource source = new WattTimeSource(server.baseUrl(), "u", "p",
                        new HttpSettings(Duration.ofMillis(500), Duration.ofMillis(150), 2, Duration.ofMillis(10)))) {
            assertThatThrownBy(() -> source.forecast(query())).hasMessageContaining("no answer within");
            assertThat(server.requests(FORECAST)).hasSize(2);
        }
    }

    @Test
    void credentialsComeFromTheEnvironment() {
        assertThatThrownBy(() -> WattTimeSource.fromEnvironment(Map.of(WattTimeSource.USERNAME_ENV, "u"), null, HttpSettings.defaults()))
                .isInstanceOf(ForecastException.class)
                .hasMessageContaining(WattTimeSource.PASSWORD_ENV);
    }
}
