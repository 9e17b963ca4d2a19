package dev.verdant.train;

import dev.verdant.energy.Energy;
import dev.verdant.energy.Method;
import dev.verdant.energy.TrackedRun;

/**
 * Where a training run reads the energy it has spent; {@link #of(TrackedRun)} plugs in the energy module's tracker. The trainer
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

    /** The IT energy (before PUE) of a running {@link TrackedRun} of the energy module's tracker. */
    static EnergyProbe of(TrackedRun run) {
        return new EnergyProbe() {
            @Override
            public Energy spentSoFar() {
                return run.itEnergySoFar();
            }

            @Override
            public Method method() {
                return run.method();
            }

            @Override
            public String description() {
                return run.meterDescription();
            }
        };
    }
}
