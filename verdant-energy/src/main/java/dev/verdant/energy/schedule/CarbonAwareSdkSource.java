package dev.verdant.energy.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Forecasts from a Carbon Aware SDK Web API deployment (the Green Software Foundation's; usually self-hosted):
 * {@code GET /emissions/forecasts/current?location=L&dataStartAt=T0&dataEndAt=T1&windowSize=MINUTES}. The answer
 * is an array with one forecast per location, each with {@code forecastData: [{"location", "timestamp",
 * "duration" (minutes), "value" (g/kWh)}, ...]}. The SDK picks its own optimal window too; Verdant reads the
 * data points and runs its own exact search, so every source is searched the same way.
 */
public final class CarbonAwareSdkSource implements ForecastSource {

    /** The environment variable holding the Web API's base URL. */
    public static final String URL_ENV = "CARBON_AWARE_SDK_URL";

    private final URI baseUrl;
    private final ProviderHttp http;

    public CarbonAwareSdkSource(URI baseUrl, HttpSettings settings) {
        this.baseUrl = baseUrl;
        this.http = new ProviderHttp(name(), settings);
    }

    /** A source configured from {@code env}; {@code baseUrl}, where not null, overrides the environment's. */
    public static CarbonAwareSdkSource fromEnvironment(Map<String, String> env, URI baseUrl, HttpSettings settings)
            throws ForecastException {
        URI base = ProviderHttp.baseUrl(baseUrl, env, URL_ENV, null);
        if (base == null) {
            throw new ForecastException("set " + URL_ENV + " (or --provider-url) to your Carbon Aware SDK Web API, for example http://localhost:8080");
        }
        return new CarbonAwareSdkSource(base, settings);
    }

    @Override
    public String name() {
        return "carbon-aware-sdk";
    }

    @Override
    public Forecast forecast(ForecastQuery query) throws ForecastException {
        long windowMinutes = Math.max(1, (query.jobDuration().toSeconds() + 59) / 60);
        URI uri = ProviderHttp.resolve(baseUrl, "/emissions/forecasts/current", ProviderHttp.params(
                "location", query.region(),
                "dataStartAt", query.from().toString(),
                "dataEndAt", query.to().toString(),
                "windowSize", Long.toString(windowMinutes)));
        JsonNode body = http.getJson(uri, Map.of());
        String what = name() + " forecast for location " + query.region();
        if (!body.isArray() || body.isEmpty()) {
            throw new ForecastException(what + ": expected a non-empty array of forecasts");
        }
        JsonNode chosen = body.get(0);
        for (JsonNode f : body) {
            if (query.region().equalsIgnoreCase(f.path("location").asText())) {
                chosen = f;
                break;
            }
        }
        JsonNode data = chosen.get("forecastData");
        if (data == null || !data.isArray() || data.isEmpty()) {
            throw new ForecastException(what + ": the answer has no \"forecastData\" points");
        }
        List<ForecastPoint> points = new ArrayList<>();
        for (JsonNode point : data) {
            String time = point.path("timestamp").asText("");
            JsonNode value = point.get("value");
            JsonNode minutes = point.get("duration");
            if (value == null || !value.isNumber() || minutes == null || !minutes.isNumber() || minutes.asDouble() <= 0) {
                throw new ForecastException(what + ": a point at '" + time + "' lacks a value or a positive duration");
            }
            Instant start = ElectricityMapsSource.parseInstant(time, what);
            points.add(ForecastPoint.of(start, Duration.ofMillis(Math.round(minutes.asDouble() * 60_000)), value.asDouble()));
        }
        try {
            return new Forecast(query.region(), name(), points);
        } catch (IllegalArgumentException e) {
            throw new ForecastException(what + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
