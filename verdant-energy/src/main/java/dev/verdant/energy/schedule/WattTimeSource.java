package dev.verdant.energy.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Forecasts from the WattTime API v3: log in with HTTP basic auth at {@code GET /login} for a bearer token, then
 * {@code GET /v3/forecast?region=REGION&signal_type=co2_moer}. The answer is {@code {"data": [{"point_time",
 * "value"}, ...], "meta": {"data_point_period_seconds", "units", ...}}}.
 *
 * <p>WattTime's signal is the <em>marginal</em> operating emissions rate (MOER) in pounds of CO2 per MWh; it is
 * converted exactly to grams per kWh with {@link #GRAMS_PER_KWH_PER_LBS_PER_MWH}. A marginal rate answers "what
 * does one more kWh emit now", which is the right question for shifting a job, but its numbers are not
 * comparable with the average intensities of the other sources.
 */
public final class WattTimeSource implements ForecastSource {

    /** Environment variables holding the account. */
    public static final String USERNAME_ENV = "WATTTIME_USERNAME";
    public static final String PASSWORD_ENV = "WATTTIME_PASSWORD";
    /** The environment variable that overrides the base URL (login and data). */
    public static final String URL_ENV = "WATTTIME_API_URL";
    public static final URI DEFAULT_BASE_URL = URI.create("https://api.watttime.org");
    /**
     * 1 lb/MWh in g/kWh: 1 lb is 453.59237 g exactly (international pound, 1959) and 1 MWh is 1000 kWh, so
     * 1 lb/MWh = 0.45359237 g/kWh exactly.
     */
    public static final double GRAMS_PER_KWH_PER_LBS_PER_MWH = 0.45359237;

    private final URI baseUrl;
    private final String username;
    private final String password;
    private final ProviderHttp http;
    private String token; // guarded by this; one login serves every region of a run

    public WattTimeSource(URI baseUrl, String username, String password, HttpSettings settings) {
        this.baseUrl = baseUrl;
        this.username = username;
        this.password = password;
        this.http = new ProviderHttp(name(), settings);
    }

    /** A source configured from {@code env}; {@code baseUrl}, where not null, overrides the environment's. */
    public static WattTimeSource fromEnvironment(Map<String, String> env, URI baseUrl, HttpSettings settings)
            throws ForecastException {
        String user = env.get(USERNAME_ENV);
        String pass = env.get(PASSWORD_ENV);
        if (user == null || user.isBlank() || pass == null || pass.isEmpty()) {
            throw new ForecastException("set " + USERNAME_ENV + " and " + PASSWORD_ENV + " to your WattTime account to use --provider watttime");
        }
        URI base = ProviderHttp.baseUrl(baseUrl, env, URL_ENV, DEFAULT_BASE_URL);
        return new WattTimeSource(base, user.strip(), pass, settings);
    }

    @Override
    public String name() {
        return "watttime";
    }

    @Override
    public Forecast forecast(ForecastQuery query) throws ForecastException {
        URI uri = ProviderHttp.resolve(baseUrl, "/v3/forecast",
                ProviderHttp.params("region", query.region(), "signal_type", "co2_moer"));
        JsonNode body = http.getJson(uri, Map.of("Authorization", "Bearer " + token()));
        String what = name() + " forecast for region " + query.region();
        JsonNode data = body.get("data");
        if (data == null || !data.isArray()) {
            throw new ForecastException(what + ": the answer has no \"data\" array");
        }
        JsonNode meta = body.path("meta");
        String units = meta.path("units").asText("lbs_co2_per_mwh");
        if (!units.equals("lbs_co2_per_mwh")) {
            throw new ForecastException(what + ": unexpected units '" + units + "' (expected lbs_co2_per_mwh)");
        }
        List<Instant> times = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (JsonNode point : data) {
            JsonNode value = point.get("value");
            String time = point.path("point_time").asText("");
            if (value == null || !value.isNumber()) {
                throw new ForecastException(what + ": no value number at '" + time + "'");
            }
            times.add(ElectricityMapsSource.parseInstant(time, what));
            values.add(value.asDouble() * GRAMS_PER_KWH_PER_LBS_PER_MWH);
        }
        if (times.isEmpty()) {
            throw new ForecastException(what + ": the forecast is empty");
        }
        JsonNode period = meta.get("data_point_period_seconds");
        Duration step = period != null && period.canConvertToLong() && period.asLong() > 0 ? Duration.ofSeconds(period.asLong()) : null;
        try {
            return Forecast.fromSamples(query.region(), name(), times, values, step);
        } catch (IllegalArgumentException e) {
            throw new ForecastException(what + ": " + e.getMessage(), e);
        }
    }

    private synchronized String token() throws ForecastException {
        if (token == null) {
            String basic = Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
            JsonNode body = http.getJson(ProviderHttp.resolve(baseUrl, "/login", Map.of()), Map.of("Authorization", "Basic " + basic));
            JsonNode t = body.get("token");
            if (t == null || !t.isTextual() || t.asText().isBlank()) {
                throw new ForecastException(name() + " login: the answer has no \"token\"");
            }
            token = t.asText();
        }
        return token;
    }

    @Override
    public void close() {
        http.close();
    }
}
