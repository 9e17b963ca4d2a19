package dev.verdant.train;

import dev.verdant.energy.Energy;
import dev.verdant.energy.Method;

/**
 * Where a training run reads the energy it has spent: the seam the energy module's tracker plugs into. The trainer
 * reads it before and after the run and after each epoch, and records the difference in the result and the
 * checkpoint's provenance.
 */
public interface EnergyProbe {

    /** Energy spent since some fixed start (only differences are used). */
    Energy spentSoFar();

    /** Whether the figure is read from a counter or estimated. */
    Method method();

    /** One line for provenance, e.g. {@code rapl package-0} or {@code estimate from CPU time}. */
    String description();
}
