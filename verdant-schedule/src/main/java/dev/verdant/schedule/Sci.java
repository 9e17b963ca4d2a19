package dev.verdant.schedule;

import java.util.Objects;

/**
 * The Software Carbon Intensity of a measured run, per the Green Software Foundation's specification:
 * SCI = (E x I + M) per R.
 *
 * @param energyKwh E, the energy the run used
 * @param gramsPerKwh I, the grid's carbon intensity over the run
 * @param embodiedGrams M, the run's share of the hardware's embodied emissions (see {@link EmbodiedEmissions})
 * @param functionalUnits R, how many functional units the run delivered (for example 1000)
 * @param functionalUnit what one unit is (for example {@code inference})
 */
public record Sci(double energyKwh, double gramsPerKwh, double embodiedGrams, double functionalUnits, String functionalUnit) {

    public Sci {
        Objects.requireNonNull(functionalUnit, "functionalUnit");
        requireNonNegative(energyKwh, "energy");
        requireNonNegative(gramsPerKwh, "carbon intensity");
        requireNonNegative(embodiedGrams, "embodied emissions");
        if (!Double.isFinite(functionalUnits) || functionalUnits <= 0) {
            throw new IllegalArgumentException("the functional unit count R must be a positive number, got " + functionalUnits);
        }
    }

    /** E x I, grams CO2e. */
    public double operationalGrams() {
        return energyKwh * gramsPerKwh;
    }

    /** E x I + M, grams CO2e. */
    public double totalGrams() {
        return operationalGrams() + embodiedGrams;
    }

    /** The SCI score: grams CO2e per functional unit. */
    public double gramsPerUnit() {
        return totalGrams() / functionalUnits;
    }

    private static void requireNonNegative(double v, String what) {
        if (!Double.isFinite(v) || v < 0) {
            throw new IllegalArgumentException(what + " must be a finite number >= 0, got " + v);
        }
    }
}
