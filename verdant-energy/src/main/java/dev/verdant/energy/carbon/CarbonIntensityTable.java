package dev.verdant.energy.carbon;

import dev.verdant.energy.CarbonIntensity;
import dev.verdant.energy.FactTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.Optional;

/**
 * Grid carbon intensity by country (ISO 3166-1 alpha-2, alpha-3 or English name), by the main sub-national grids
 * (ISO 3166-2: {@code US-VA}, {@code CA-QC}, {@code AU-NSW}) and by cloud region ({@code aws:us-east-1},
 * {@code gcp:europe-west1}, {@code azure:westeurope}); every figure carries its source and year.
 */
public final class CarbonIntensityTable {

    private static final String WORLD = "WLD";
    private static final java.util.regex.Pattern NOT_ALPHANUMERIC = java.util.regex.Pattern.compile("[^a-z0-9]+");

    private final Map<String, GridIntensity> byKey;
    private final Map<String, String> aliases;
    private final Map<String, CloudRegion> cloudRegions;

    /**
     * A cloud region and the grid it draws from.
     *
     * @param provider {@code aws}, {@code gcp} or {@code azure}
     * @param region   the provider's region name
     * @param location the city or state
     * @param grid     the figure that applies
     */
    public record CloudRegion(String provider, String region, String location, GridIntensity grid) {
    }

    private CarbonIntensityTable(Map<String, GridIntensity> byKey, Map<String, String> aliases,
                                 Map<String, CloudRegion> cloudRegions) {
        this.byKey = Map.copyOf(byKey);
        this.aliases = Map.copyOf(aliases);
        this.cloudRegions = Map.copyOf(cloudRegions);
    }

    /** The tables shipped with Verdant. */
    public static CarbonIntensityTable builtIn() {
        Map<String, GridIntensity> byKey = new LinkedHashMap<>();
        Map<String, String> aliases = new LinkedHashMap<>();
        Map<String, String> iso3ToIso2 = iso3ToIso2();
        for (Map<String, String> row : FactTable.load(CarbonIntensityTable.class, "country-intensity.csv").rows()) {
            String iso3 = row.get("iso3");
            String iso2 = iso3ToIso2.getOrDefault(iso3, "");
            String key = iso2.isEmpty() ? iso3 : iso2;
            byKey.put(key, figure(key, row.get("name"), iso3, row));
            aliases.put(iso3, key);
            aliases.put(normalise(row.get("name")), key);
        }
        for (Map<String, String> row : FactTable.load(CarbonIntensityTable.class, "grid-intensity.csv").rows()) {
            String code = row.get("code");
            String country = iso3ToIso2.entrySet().stream().filter(e -> e.getValue().equals(code.substring(0, 2)))
                    .map(Map.Entry::getKey).findFirst().orElse("");
            byKey.put(code, figure(code, row.get("name"), country, row));
        }
        Map<String, CloudRegion> regions = new LinkedHashMap<>();
        for (Map<String, String> row : FactTable.load(CarbonIntensityTable.class, "cloud-regions.csv").rows()) {
            String key = row.get("provider") + ":" + row.get("region");
            GridIntensity grid;
            if (row.get("g_co2e_per_kwh").isEmpty()) {
                GridIntensity base = byKey.get(row.get("grid"));
                if (base == null) {
                    throw new IllegalStateException("cloud region " + key + " names unknown grid " + row.get("grid"));
                }
                grid = new GridIntensity(key, row.get("location") + " (" + base.name() + " grid)", base.countryIso3(),
                        base.intensity(), base.source() + "; region location: " + row.get("source"), base.year());
            } else {
                grid = figure(key, row.get("location"), "", row);
            }
            regions.put(key, new CloudRegion(row.get("provider"), row.get("region"), row.get("location"), grid));
        }
        return new CarbonIntensityTable(byKey, aliases, regions);
    }

    private static GridIntensity figure(String key, String name, String iso3, Map<String, String> row) {
        return new GridIntensity(key, name, iso3,
                CarbonIntensity.ofGramsPerKilowattHour(FactTable.number(row, "g_co2e_per_kwh")), row.get("source"),
                Integer.parseInt(row.get("year")));
    }

    private static Map<String, String> iso3ToIso2() {
        Map<String, String> map = new LinkedHashMap<>();
        for (String iso2 : Locale.getISOCountries()) {
            try {
                map.put(Locale.of("", iso2).getISO3Country(), iso2);
            } catch (MissingResourceException e) {
                // a code without an alpha-3 form cannot appear in the alpha-3 table
            }
        }
        return map;
    }

    private static String normalise(String text) {
        return NOT_ALPHANUMERIC.matcher(text.strip().toLowerCase(Locale.ROOT)).replaceAll(" ").strip();
    }

    /** The world average, used when no location is known. */
    public GridIntensity world() {
        return byKey.get(WORLD);
    }

    /**
     * The figure for a country, sub-national grid or cloud region.
     *
     * @throws IllegalArgumentException naming the accepted forms when nothing matches
     */
    public GridIntensity resolve(String location) {
        return find(location).orElseThrow(() -> new IllegalArgumentException("unknown country or region '" + location
                + "'; use an ISO 3166 code (FR, FRA), a grid code (US-CA, CA-QC, AU-NSW) or a cloud region "
                + "(aws:us-east-1, gcp:europe-west1, azure:westeurope)"));
    }

    /** The figure for a location, if the tables know it. */
    public Optional<GridIntensity> find(String location) {
        if (location == null || location.isBlank()) {
            return Optional.empty();
        }
        String text = location.strip();
        Optional<CloudRegion> region = cloudRegion(text);
        if (region.isPresent()) {
            return Optional.of(region.get().grid());
        }
        String upper = text.toUpperCase(Locale.ROOT);
        if (byKey.containsKey(upper)) {
            return Optional.of(byKey.get(upper));
        }
        String alias = aliases.getOrDefault(upper, aliases.get(normalise(text)));
        return Optional.ofNullable(alias == null ? null : byKey.get(alias));
    }

    /** A cloud region by {@code provider:region}, or by its bare name when only one provider uses it. */
    public Optional<CloudRegion> cloudRegion(String name) {
        String text = name.strip().toLowerCase(Locale.ROOT).replace('/', ':');
        if (cloudRegions.containsKey(text)) {
            return Optional.of(cloudRegions.get(text));
        }
        List<CloudRegion> matches = cloudRegions.values().stream().filter(r -> r.region().equals(text)).toList();
        return matches.size() == 1 ? Optional.of(matches.get(0)) : Optional.empty();
    }

    /** Every cloud region known, in table order. */
    public List<CloudRegion> cloudRegions() {
        return List.copyOf(cloudRegions.values());
    }

    /** Every country and sub-national figure known. */
    public List<GridIntensity> grids() {
        return List.copyOf(byKey.values());
    }

    /** The figure's carbon intensity, for callers that only need the number. */
    public CarbonIntensity intensityOf(String location) {
        return resolve(location).intensity();
    }
}
