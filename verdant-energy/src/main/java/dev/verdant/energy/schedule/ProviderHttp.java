package dev.verdant.energy.schedule;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdant.io.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The JSON-over-HTTP GET every forecast client makes: timeouts, bounded retries with doubling backoff on 5xx
 * answers and network failures, none on 4xx, and failures turned into one-line {@link ForecastException}s
 * that name the provider, the status and what the provider said.
 */
final class ProviderHttp implements AutoCloseable {

    private static final int MAX_MESSAGE_CHARS = 200;

    private final String provider;
    private final HttpSettings settings;
    private final HttpClient client;
    private final ObjectMapper json = Json.mapper();

    ProviderHttp(String provider, HttpSettings settings) {
        this.provider = provider;
        this.settings = settings;
        this.client = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /** GETs {@code uri} with {@code headers} and returns the parsed JSON body of a 2xx answer. */
    JsonNode getJson(URI uri, Map<String, String> headers) throws ForecastException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(settings.requestTimeout())
                .header("Accept", "application/json")
                .GET();
        headers.forEach(builder::header);
        HttpRequest request = builder.build();
        String where = provider + " (" + uri.getScheme() + "://" + uri.getAuthority() + uri.getPath() + ")";
        Duration backoff = settings.firstBackoff();
        String lastFailure = "";
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            if (attempt > 1) {
                sleep(backoff, where);
                backoff = backoff.multipliedBy(2);
            }
            HttpResponse<String> response;
            try {
                response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (HttpTimeoutException e) {
                lastFailure = "no answer within " + DurationText.format(settings.requestTimeout());
                continue;
            } catch (IOException e) {
                lastFailure = "cannot connect: " + describe(e);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ForecastException(where + ": interrupted", e);
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                try {
                    JsonNode body = json.readTree(response.body());
                    if (body == null || body.isMissingNode()) {
                        throw new ForecastException(where + " answered " + status + " with an empty body");
                    }
                    return body;
                } catch (JacksonException e) {
                    throw new ForecastException(where + " answered " + status + " with a body that is not JSON: "
                            + excerpt(response.body()), e);
                }
            }
            String said = providerMessage(response.body());
            if (status < 500) {
                throw new ForecastException(where + " answered HTTP " + status + (said.isEmpty() ? "" : ": " + said));
            }
            lastFailure = "HTTP " + status + (said.isEmpty() ? "" : ": " + said);
        }
        throw new ForecastException(where + ": " + lastFailure + " (" + settings.maxAttempts()
                + (settings.maxAttempts() == 1 ? " attempt)" : " attempts)"));
    }

    /** A query string from name-value pairs, in order, percent-encoded. */
    static String query(Map<String, String> params) {
        StringJoiner joiner = new StringJoiner("&");
        params.forEach((k, v) -> joiner.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return joiner.toString();
    }

    /** {@code base} (with or without a trailing slash) joined with {@code path} and a query. */
    static URI resolve(URI base, String path, Map<String, String> params) {
        String b = base.toString();
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        return URI.create(b + path + (params.isEmpty() ? "" : "?" + query(params)));
    }

    /**
     * The base URL to use: {@code override} (an option), else the environment variable {@code envName}, else
     * {@code fallback} (which may be null where a provider has no public default).
     */
    static URI baseUrl(URI override, Map<String, String> env, String envName, URI fallback) throws ForecastException {
        if (override != null) {
            return override;
        }
        String fromEnv = env.get(envName);
        if (fromEnv == null || fromEnv.isBlank()) {
            return fallback;
        }
        try {
            return new URI(fromEnv.strip());
        } catch (java.net.URISyntaxException e) {
            throw new ForecastException(envName + " is not a URL: " + e.getMessage(), e);
        }
    }

    static Map<String, String> params(String... nameValue) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < nameValue.length; i += 2) {
            out.put(nameValue[i], nameValue[i + 1]);
        }
        return out;
    }

    /** What an error body says: the usual message fields of JSON errors, else the start of the text. */
    private String providerMessage(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode node = json.readTree(body);
            if (node != null && node.isObject()) {
                for (String field : new String[] {"message", "error", "detail", "title", "error_description"}) {
                    JsonNode v = node.get(field);
                    if (v != null && v.isTextual() && !v.asText().isBlank()) {
                        return excerpt(v.asText());
                    }
                    if (v != null && v.isObject() && v.path("message").isTextual()) {
                        return excerpt(v.path("message").asText());
                    }
                }
            }
        } catch (JacksonException notJson) {
            // Not JSON: fall through to the raw text, which is often a proxy's HTML or plain-text page.
        }
        return excerpt(body);
    }

    /** The first message in the cause chain (HttpClient often wraps a ConnectException without one). */
    private static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }

    private static String excerpt(String text) {
        String one = text == null ? "" : text.replaceAll("\\s+", " ").strip();
        return one.length() <= MAX_MESSAGE_CHARS ? one : one.substring(0, MAX_MESSAGE_CHARS) + "...";
    }

    private static void sleep(Duration d, String where) throws ForecastException {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ForecastException(where + ": interrupted", e);
        }
    }

    @Override
    public void close() {
        client.shutdownNow();
    }
}
