package dev.verdant.energy.schedule;

import dev.verdant.energy.CarbonIntensity;
import dev.verdant.energy.Co2e;
import dev.verdant.energy.Energy;
import java.util.Objects;

/**
 * The Software Carbon Intensity of a measured run, per the Green Software Foundation's specification:
 * SCI = (E x I + M) per R.
 *
 * @param energy E, the energy the run used
 * @param intensity I, the grid's carbon intensity over the run
 * @param embodied M, the run's share of the hardware's embodied emissions (see {@link EmbodiedEmissions})
 * @param functionalUnits R, how many functional units the run delivered (for example 1000)
 * @param functionalUnit what one unit is (for example {@code inference})
 */
public record Sci(Energy energy, CarbonIntensity intensity, Co2e embodied, double functionalUnits, String functionalUnit) {

    public Sci {
        Objects.requireNonNull(energy, "energy");
        Objects.requireNonNull(intensity, "intensity");
        Objects.requireNonNull(embodied, "embodied");
        Objects.requireNonNull(functionalUnit, "functionalUnit");
        if (!Double.isFinite(functionalUnits) || functionalUnits <= 0) {
            throw new IllegalArgumentException("the functional unit count R must be a positive number, got " + functionalUnits);
        }
    }

    /** E x I. */
    public Co2e operational() {
        return intensity.emissionsOf(energy);
    }

    /** E x I + M. */
    public Co2e total() {
        return operational().plus(embodied);
    }

    /** The SCI score: the emissions per functional unit. */
    public Co2e perUnit() {
        return Co2e.ofGrams(total().grams() / functionalUnits);
    }
}
