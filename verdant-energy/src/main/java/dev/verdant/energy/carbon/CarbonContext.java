package dev.verdant.energy.carbon;

import dev.verdant.energy.EnergyConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The grid intensity and PUE that apply under a configuration, with a sentence on where each came from. Order of
 * precedence: a user-given intensity, then the region (sub-national grid or cloud region), then the country, then
 * the world average; a user-given PUE, then the cloud provider's published PUE for a cloud region, then 1.0.
 *
 * @param grid        the carbon intensity to apply
 * @param pue         the power usage effectiveness to apply
 * @param assumptions how both were chosen, for reports
 */
public record CarbonContext(GridIntensity grid, double pue, List<String> assumptions) {

    public CarbonContext {
        assumptions = List.copyOf(assumptions);
    }

    /**
     * Resolves the configuration against the built-in tables.
     *
     * @throws IllegalArgumentException for an unknown country or region
     */
    public static CarbonContext resolve(EnergyConfig config) {
        CarbonIntensityTable table = CarbonIntensityTable.builtIn();
        List<String> notes = new ArrayList<>();
        GridIntensity located = null;
        if (config.region() != null) {
            located = table.resolve(config.region());
        } else if (config.country() != null) {
            located = table.resolve(config.country());
        }
        GridIntensity grid;
        if (config.intensityOverride() != null) {
            grid = GridIntensity.userOverride(config.intensityOverride(),
                    config.origins().getOrDefault("intensity", "builder"));
        } else if (located != null) {
            grid = located;
        } else {
            grid = table.world();
            notes.add("location unknown: the world average is used; set --country or VERDANT_COUNTRY (ISO code), "
                    + "or a region (US-CA, aws:us-east-1)");
        }
        notes.add(grid.describe());
        PueTable pueTable = PueTable.builtIn();
        double pue;
        if (config.pueOverride() != null) {
            pue = config.pueOverride();
            notes.add(String.format(Locale.ROOT, "PUE %.2f given (%s)", pue,
                    config.origins().getOrDefault("pue", "builder")));
        } else {
            PueTable.Pue published = config.region() == null ? pueTable.local()
                    : table.cloudRegion(config.region()).flatMap(r -> pueTable.forProvider(r.provider()))
                            .orElse(pueTable.local());
            pue = published.pue();
            notes.add(String.format(Locale.ROOT, "PUE %.2f: %s (%d)", pue, published.source(), published.year()));
        }
        return new CarbonContext(grid, pue, notes);
    }
}
