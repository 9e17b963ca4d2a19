package dev.verdant.energy.schedule;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The forecast services Verdant can ask, by the name a user types ({@code --provider watttime}). */
public enum ForecastProvider {
    ELECTRICITYMAPS,
    WATTTIME,
    CARBON_AWARE_SDK;

    /** The name on the command line: the constant's, lower-case, with hyphens ({@code carbon-aware-sdk}). */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The provider called {@code name}; the message lists the known ones if there is none. */
    public static ForecastProvider byName(String name) {
        for (ForecastProvider p : values()) {
            if (p.cliName().equals(name.strip().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown provider '" + name + "'; expected one of "
                + Arrays.stream(values()).map(ForecastProvider::cliName).collect(Collectors.joining(", ")));
    }

    /**
     * A source for this provider with credentials and base URL from {@code env}; {@code baseUrl}, where not null,
     * overrides the environment (tests, self-hosted services).
     */
    public ForecastSource open(Map<String, String> env, URI baseUrl, HttpSettings settings) throws ForecastException {
        return switch (this) {
            case ELECTRICITYMAPS -> ElectricityMapsSource.fromEnvironment(env, baseUrl, settings);
            case WATTTIME -> WattTimeSource.fromEnvironment(env, baseUrl, settings);
            case CARBON_AWARE_SDK -> CarbonAwareSdkSource.fromEnvironment(env, baseUrl, settings);
        };
    }
}
