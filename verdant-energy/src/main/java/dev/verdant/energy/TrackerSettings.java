package dev.verdant.energy;

import dev.verdant.energy.carbon.GridIntensity;
import dev.verdant.energy.meter.CpuPowerTable;
import dev.verdant.energy.meter.HostInfo;

import dev.verdant.energy.sink.EnergySink;
import java.util.List;

/**
 * What a {@link Tracker} hands each run it starts: its configuration, sinks, grid and PUE (with the notes on how
 * they were found), and how meters are chosen on this host. A value, so that a run need not call back into its
 * tracker.
 */
record TrackerSettings(EnergyConfig config, List<EnergySink> sinks, GridIntensity grid, double pue,
        List<String> carbonNotes, MeterSelection.NvmlLoader nvmlLoader, HostInfo host, CpuPowerTable cpuPowerTable) {
}
