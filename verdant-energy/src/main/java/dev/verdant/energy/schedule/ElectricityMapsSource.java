package dev.verdant.energy.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Forecasts from the Electricity Maps API: {@code GET /v3/carbon-intensity/forecast?zone=ZONE} with the API key in
 * the {@code auth-token} header. The answer is {@code {"zone", "forecast": [{"carbonIntensity", "datetime"}, ...],
 * "updatedAt"}} with intensities in gCO2eq/kWh (life-cycle grid average), each holding until the next datetime;
 * {@code temporalGranularity}, where given, sets the length of the last one, which is otherwise the step before
 * it.
 */
public final class ElectricityMapsSource implements ForecastSource {

    /** The environment variable holding the API key. */
    public static final String API_KEY_ENV = "ELECTRICITYMAPS_API_KEY";
    /** The environment variable that overrides the base URL. */
    public static final String URL_ENV = "ELECTRICITYMAPS_API_URL";
    /** The public service. */
    public static final URI DEFAULT_BASE_URL = URI.create("https://api.electricitymap.org");

    private final URI baseUrl;
    private final String apiKey;
    private final ProviderHttp http;

    public ElectricityMapsSource(URI baseUrl, String apiKey, HttpSettings settings) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.http = new ProviderHttp(name(), settings);
    }

    /** A source configured from {@code env}; {@code baseUrl}, where not null, overrides the environment's. */
    public static ElectricityMapsSource fromEnvironment(Map<String, String> env, URI baseUrl, HttpSettings settings)
            throws ForecastException {
        String key = env.get(API_KEY_ENV);
        if (key == null || key.isBlank()) {
            throw new ForecastException("set " + API_KEY_ENV + " to your Electricity Maps API key to use --provider electricitymaps");
        }
        URI base = ProviderHttp.baseUrl(baseUrl, env, URL_ENV, DEFAULT_BASE_URL);
        return new ElectricityMapsSource(base, key.strip(), settings);
    }

    @Override
    public String name() {
        return "electricitymaps";
    }

    @Override
    public Forecast forecast(ForecastQuery query) throws ForecastException {
        URI uri = ProviderHttp.resolve(baseUrl, "/v3/carbon-intensity/forecast", ProviderHttp.params("zone", query.region()));
        JsonNode body = http.getJson(uri, Map.of("auth-token", apiKey));
        String what = name() + " forecast for zone " + query.region();
        JsonNode forecast = body.get("forecast");
        if (forecast == null || !forecast.isArray()) {
            throw new ForecastException(what + ": the answer has no \"forecast\" array");
        }
        String zone = body.path("zone").asText(query.region());
        if (!zone.equalsIgnoreCase(query.region())) {
            throw new ForecastException(what + ": the answer is for zone " + zone);
        }
        List<Instant> times = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (JsonNode point : forecast) {
            JsonNode value = point.get("carbonIntensity");
            String datetime = point.path("datetime").asText("");
            if (value == null || !value.isNumber()) {
                throw new ForecastException(what + ": no carbonIntensity number at '" + datetime + "'");
            }
            times.add(parseInstant(datetime, what));
            values.add(value.asDouble());
        }
        if (times.isEmpty()) {
            throw new ForecastException(what + ": the forecast is empty");
        }
        try {
            return Forecast.fromSamples(query.region(), name(), times, values, granularity(body.path("temporalGranularity").asText("")));
        } catch (IllegalArgumentException e) {
            throw new ForecastException(what + ": " + e.getMessage(), e);
        }
    }

    private static Duration granularity(String text) {
        return switch (text) {
            case "hourly" -> Duration.ofHours(1);
            case "15_minutes" -> Duration.ofMinutes(15);
            case "5_minutes" -> Duration.ofMinutes(5);
            default -> null;
        };
    }

    static Instant parseInstant(String text, String what) throws ForecastException {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new ForecastException(what + ": '" + text + "' is not an ISO-8601 time", e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
