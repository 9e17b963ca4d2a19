package dev.verdant.cli.option;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The location and data-centre options that price energy in CO2e, shared by {@code track} and {@code estimate};
 * they become the argument layer of {@link dev.verdant.energy.EnergyConfig}.
 */
public final class CarbonOptions {

    @Option(names = "--country", paramLabel = "ISO", description = "Country of the grid: ISO 3166 alpha-2 or alpha-3 (FR, FRA) or name.")
    String country;

    @Option(names = "--region", paramLabel = "REGION",
            description = "Sub-national grid (US-CA, CA-QC, AU-NSW) or cloud region (aws:us-east-1, gcp:europe-west1, azure:westeurope); wins over --country.")
    String region;

    @Option(names = "--pue", paramLabel = "PUE", description = "Power usage effectiveness, at least 1.0 (default: the cloud provider's for a cloud region, else 1.0).")
    String pue;

    @Option(names = "--intensity", paramLabel = "G_PER_KWH", description = "Grid carbon intensity in gCO2e/kWh, overriding the tables.")
    String intensity;

    /** The options given, keyed by energy setting name. */
    public Map<String, String> arguments() {
        Map<String, String> arguments = new LinkedHashMap<>();
        put(arguments, "country", country);
        put(arguments, "region", region);
        put(arguments, "pue", pue);
        put(arguments, "intensity", intensity);
        return arguments;
    }

    public static void put(Map<String, String> arguments, String key, String value) {
        if (value != null) {
            arguments.put(key, value);
        }
    }
}
