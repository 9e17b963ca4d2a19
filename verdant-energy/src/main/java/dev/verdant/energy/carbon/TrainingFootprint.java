package dev.verdant.energy.carbon;

import dev.verdant.energy.CarbonIntensity;
import dev.verdant.energy.Co2e;
import dev.verdant.energy.Energy;
import dev.verdant.energy.Power;

/**
 * The footprint of a training run from its hardware, following Patterson et al. 2021 ("Carbon Emissions and
 * Large Neural Network Training", arXiv:2104.10350): energy = hours x processors x average power per processor x
 * PUE; CO2e = energy x grid intensity; net CO2e removes the share covered by carbon-free energy or offsets.
 *
 * @param hours           training time in hours
 * @param processors      number of accelerators
 * @param powerPerProcessor average power of one accelerator (with its share of the host)
 * @param pue             data-centre power usage effectiveness, at least 1
 * @param intensity       grid carbon intensity
 * @param offsetFraction  share of emissions covered by carbon-free energy or offsets, in [0, 1]
 */
public record TrainingFootprint(double hours, long processors, Power powerPerProcessor, double pue,
                                CarbonIntensity intensity, double offsetFraction) {

    public TrainingFootprint {
        require(hours > 0 && Double.isFinite(hours), "training time must be positive, got " + hours + " h");
        require(processors > 0, "the processor count must be positive, got " + processors);
        require(powerPerProcessor.watts() > 0, "power per processor must be positive, got " + powerPerProcessor);
        require(pue >= 1.0 && Double.isFinite(pue), "PUE must be at least 1.0, got " + pue);
        require(offsetFraction >= 0 && offsetFraction <= 1, "the offset must lie in [0, 100] %, got " + offsetFraction * 100);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Facility energy: IT energy times PUE. */
    public Energy energy() {
        return powerPerProcessor.times(processors * pue).over(hours * 3_600.0);
    }

    /** Emissions before offsets. */
    public Co2e grossEmissions() {
        return intensity.emissionsOf(energy());
    }

    /** Emissions after the carbon-free share or offsets. */
    public Co2e netEmissions() {
        return grossEmissions().times(1.0 - offsetFraction);
    }
}
