package dev.verdant.train.transfer;

import dev.verdant.energy.Energy;
import dev.verdant.energy.Method;
import dev.verdant.energy.TrackedRun;
import dev.verdant.train.EnergyProbe;

/**
 * Lets the trainer read the energy of a running {@link TrackedRun}, so each epoch's figure and the model's
 * provenance carry the energy the run's tracker measures.
 *
 * @param run the run being measured
 */
public record TrackedRunProbe(TrackedRun run) implements EnergyProbe {

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
}
