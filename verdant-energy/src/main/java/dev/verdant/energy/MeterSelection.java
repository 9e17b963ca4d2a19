package dev.verdant.energy;

import dev.verdant.energy.meter.CpuPowerTable;
import dev.verdant.energy.meter.CpuTimeEstimateMeter;
import dev.verdant.energy.meter.HostInfo;
import dev.verdant.energy.meter.JnaNvmlBinding;
import dev.verdant.energy.meter.Meter;
import dev.verdant.energy.meter.MeterUnavailableException;
import dev.verdant.energy.meter.NvmlBinding;
import dev.verdant.energy.meter.NvmlMeter;
import dev.verdant.energy.meter.ProcessTree;
import dev.verdant.energy.meter.RaplMeter;
import dev.verdant.energy.meter.SysFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Chooses the meters for a run: counters where they exist (RAPL for CPU and DRAM, NVML for the visible GPUs), the
 * estimate for whatever remains, and a sentence for every meter that could not be used and why.
 *
 * @param meters   the meters opened, each covering distinct components
 * @param notes    why a counter was not used, and how the estimate was configured
 * @param hardware the machine as found
 */
record MeterSelection(List<Meter> meters, List<String> notes, EnergyReport.Hardware hardware) {

    /** Supplies an NVML binding; the real one loads {@code libnvidia-ml}, tests pass a fake. */
    @FunctionalInterface
    interface NvmlLoader {
        NvmlBinding load() throws MeterUnavailableException;
    }

    /** The real loader: skips JNA entirely when no NVIDIA driver is installed, so start-up stays fast. */
    static final NvmlLoader REAL_NVML = () -> {
        if (!Files.exists(Path.of("/proc/driver/nvidia/version")) && !Files.exists(Path.of("/dev/nvidiactl"))) {
            throw new MeterUnavailableException("no NVIDIA driver (/proc/driver/nvidia absent)");
        }
        return JnaNvmlBinding.load();
    };

    static MeterSelection open(EnergyConfig config, ProcessTree scope, boolean countSinceProcessStart,
                               HostInfo host, CpuPowerTable table, NvmlLoader nvmlLoader, String cudaVisibleDevices,
                               LongSupplier clock) {
        List<Meter> meters = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Set<Component> remaining = EnumSet.of(Component.CPU, Component.RAM);
        if (config.useRapl()) {
            try {
                RaplMeter rapl = RaplMeter.open(config.powercapRoots(), SysFiles.REAL);
                meters.add(rapl);
                remaining.removeAll(rapl.components());
            } catch (MeterUnavailableException e) {
                notes.add("RAPL not used: " + e.getMessage() + "; CPU energy is estimated instead");
            }
        } else {
            notes.add("RAPL disabled by configuration");
        }
        int gpuCount = 0;
        String gpuModel = "";
        if (config.useGpu()) {
            try {
                NvmlMeter nvml = NvmlMeter.open(nvmlLoader.load(), cudaVisibleDevices, clock);
                meters.add(nvml);
                gpuCount = nvml.deviceNames().size();
                gpuModel = String.join(", ", nvml.deviceNames());
            } catch (MeterUnavailableException e) {
                notes.add("GPU not measured: " + e.getMessage());
            }
        }
        Optional<CpuPowerTable.CpuPower> row = table.lookup(host.cpuModel(), host.cpuFamily());
        String cpuModel = host.cpuModel().isEmpty() ? "unknown" : host.cpuModel();
        if (!remaining.isEmpty()) {
            List<String> estimateNotes = new ArrayList<>();
            Power perThread;
            if (config.cpuWattsPerThread() != null) {
                perThread = Power.ofWatts(config.cpuWattsPerThread());
                estimateNotes.add("CPU power per thread " + perThread + " given by the user ("
                        + config.origins().getOrDefault("cpu-watts-per-thread", "builder") + ")");
            } else if (row.isPresent()) {
                CpuPowerTable.CpuPower cpu = row.get();
                perThread = cpu.perThread();
                String part = cpu.generic() ? cpu.representative() + " (this machine reports only '" + host.cpuModel()
                        + "', x86 family " + host.cpuFamily() + "; figures of a representative part)" : cpu.modelPattern();
                if (cpu.generic()) {
                    cpuModel = host.cpuModel() + " (as " + cpu.representative() + ")";
                }
                estimateNotes.add(String.format(Locale.ROOT, "CPU %s: TDP %.0f W over %d threads = %.2f W per busy "
                        + "thread (%s, %d)", part, cpu.tdp().watts(), cpu.threads(), perThread.watts(), cpu.source(),
                        cpu.year()));
            } else {
                perThread = table.medianPerThread();
                estimateNotes.add(String.format(Locale.ROOT, "CPU model '%s' is not in the CPU power table; using the "
                        + "table's median of %.2f W per busy thread (set cpu-watts-per-thread = TDP / threads per "
                        + "socket for a better figure)", host.cpuModel(), perThread.watts()));
            }
            meters.add(new CpuTimeEstimateMeter(scope, perThread, config.ramWattsPerGigabyte(), remaining,
                    estimateNotes, clock, countSinceProcessStart));
        }
        EnergyReport.Hardware hardware = new EnergyReport.Hardware(cpuModel, host.usableCpus(), gpuCount, gpuModel,
                host.memoryTotalGigabytes());
        return new MeterSelection(List.copyOf(meters), List.copyOf(notes), hardware);
    }
}
