package dev.verdant.energy.carbon;

import dev.verdant.energy.CarbonIntensity;

/**
 * The carbon intensity that applies to a location, with where the figure comes from.
 *
 * @param key       the resolved key: an ISO 3166 code ({@code FR}, {@code US-VA}) or a cloud region ({@code gcp:us-central1})
 * @param name      a human name for the location
 * @param countryIso3 the ISO 3166-1 alpha-3 country, empty when unknown (the world average)
 * @param intensity the grid's average intensity
 * @param source    the publication the figure was taken from, or {@code user} for an override
 * @param year      the year the figure describes
 */
public record GridIntensity(String key, String name, String countryIso3, CarbonIntensity intensity, String source,
                            int year) {

    /** A figure the user gave, which wins over every table. */
    public static GridIntensity userOverride(double gramsPerKilowattHour, String origin) {
        return new GridIntensity(USER, "given by " + origin, "", CarbonIntensity.ofGramsPerKilowattHour(gramsPerKilowattHour),
                "user override (" + origin + ")", java.time.Year.now().getValue());
    }

    /** The key of a figure the user gave. */
    public static final String USER = "user";

    /** Whether the user gave this figure rather than a table. */
    public boolean userGiven() {
        return key.equals(USER);
    }

    /** One line for a report's assumptions. */
    public String describe() {
        if (userGiven()) {
            return String.format(java.util.Locale.ROOT, "carbon intensity %.0f gCO2e/kWh %s",
                    intensity.gramsPerKilowattHour(), name);
        }
        return String.format(java.util.Locale.ROOT, "carbon intensity %.0f gCO2e/kWh for %s (%s), %s, %d",
                intensity.gramsPerKilowattHour(), name, key, source, year);
    }
}
