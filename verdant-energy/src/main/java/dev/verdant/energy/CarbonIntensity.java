package dev.verdant.energy;

/**
 * The greenhouse-gas emissions of a grid per unit of electricity, in grams of CO2-equivalent per kilowatt-hour
 * (numerically equal to kg/MWh and to t/GWh).
 *
 * @param gramsPerKilowattHour gCO2e/kWh, never negative and always finite
 */
public record CarbonIntensity(double gramsPerKilowattHour) {

    public CarbonIntensity {
        if (!Double.isFinite(gramsPerKilowattHour) || gramsPerKilowattHour < 0) {
            throw new IllegalArgumentException(
                    "carbon intensity must be a finite, non-negative number of gCO2e/kWh, got " + gramsPerKilowattHour);
        }
    }

    public static CarbonIntensity ofGramsPerKilowattHour(double grams) {
        return new CarbonIntensity(grams);
    }

    /** From kilograms per kilowatt-hour, the unit some national inventories publish. */
    public static CarbonIntensity ofKilogramsPerKilowattHour(double kilograms) {
        return new CarbonIntensity(kilograms * 1_000.0);
    }

    public double kilogramsPerKilowattHour() {
        return gramsPerKilowattHour / 1_000.0;
    }

    /** The emissions of spending {@code energy} on this grid. */
    public Co2e emissionsOf(Energy energy) {
        return Co2e.ofGrams(energy.kilowattHours() * gramsPerKilowattHour);
    }

    @Override
    public String toString() {
        return Quantities.format(gramsPerKilowattHour, "g") + "CO2e/kWh";
    }
}
