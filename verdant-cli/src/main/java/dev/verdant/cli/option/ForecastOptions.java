package dev.verdant.cli.option;

import dev.verdant.energy.schedule.DurationText;
import dev.verdant.energy.schedule.ForecastException;
import dev.verdant.energy.schedule.ForecastFile;
import dev.verdant.energy.schedule.ForecastProvider;
import dev.verdant.energy.schedule.ForecastSource;
import dev.verdant.energy.schedule.HttpSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options {@code verdant schedule} and {@code verdant run} share to say where forecasts come from: a file or
 * a provider, with the provider's base URL and timeout. Credentials come from the environment, never from options,
 * so they stay out of shell history.
 */
public final class ForecastOptions {

    @Option(names = "--forecast", paramLabel = "FILE",
            description = "A forecast file: CSV with the header region,time,intensity_g_per_kwh (ISO-8601 UTC times), or the same rows as JSON.")
    Path forecastFile;

    @Option(names = "--provider", paramLabel = "NAME",
            description = "Ask a forecast service: electricitymaps (ELECTRICITYMAPS_API_KEY), watttime (WATTTIME_USERNAME, "
                    + "WATTTIME_PASSWORD), carbon-aware-sdk (CARBON_AWARE_SDK_URL).")
    String provider;

    @Option(names = "--provider-url", paramLabel = "URL",
            description = "The provider's base URL, for a self-hosted Carbon Aware SDK or a proxy (default: the provider's public API).")
    String providerUrl;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s",
            description = "How long to wait for each provider answer (default ${DEFAULT-VALUE}); failures are retried twice.")
    String timeout;

    /** Whether a forecast was asked for, from a file or a provider. */
    public boolean given() {
        return forecastFile != null || provider != null;
    }

    /** --forecast, when given (null otherwise). */
    public Path forecastFile() {
        return forecastFile;
    }

    /** Opens the chosen source; exactly one of --forecast and --provider must be given. */
    public ForecastSource open(Map<String, String> env) throws IOException {
        if ((forecastFile == null) == (provider == null)) {
            throw new IllegalArgumentException("give exactly one of --forecast FILE and --provider NAME");
        }
        if (providerUrl != null && provider == null) {
            throw new IllegalArgumentException("--provider-url needs --provider");
        }
        if (forecastFile != null) {
            return ForecastFile.read(forecastFile);
        }
        ForecastProvider p = ForecastProvider.byName(provider);
        Duration requestTimeout = DurationText.parse(timeout);
        if (requestTimeout.isZero() || requestTimeout.isNegative()) {
            throw new IllegalArgumentException("--timeout must be positive");
        }
        return p.open(env, baseUrl(), HttpSettings.defaults().withRequestTimeout(requestTimeout));
    }

    private URI baseUrl() throws ForecastException {
        if (providerUrl == null) {
            return null;
        }
        try {
            URI uri = new URI(providerUrl);
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null) {
                throw new IllegalArgumentException("--provider-url must be an http(s) URL, got '" + providerUrl + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--provider-url is not a URL: " + e.getMessage(), e);
        }
    }
}
