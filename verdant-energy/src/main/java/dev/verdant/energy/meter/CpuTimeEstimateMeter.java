package dev.verdant.energy.meter;

import dev.verdant.energy.Component;
import dev.verdant.energy.Energy;
import dev.verdant.energy.Method;
import dev.verdant.energy.Power;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Estimates the energy of a process tree where no counter exists (VMs, containers): CPU energy is the tree's CPU
 * time times the power of one busy hardware thread (TDP over threads, from {@link CpuPowerTable}); RAM energy is
 * the tree's resident memory, integrated over time, times a power per gigabyte.
 *
 * <p>This attributes to the work only what it used: a 2-vCPU slice of a 96-core host is charged for its own CPU
 * seconds, not a whole socket's TDP, and RAM is charged for the resident gigabytes, not the machine's terabyte.
 * Idle power of the machine is not attributed.
 */
public final class CpuTimeEstimateMeter implements Meter {

    /**
     * Memory power per gigabyte: 3 W per 8 GB of DDR4 (0.375 W/GB), the figure CodeCarbon documents for its RAM
     * model; applied here to resident, not installed, memory.
     */
    public static final double DEFAULT_RAM_WATTS_PER_GIGABYTE = 3.0 / 8.0;

    private final ProcessTree tree;
    private final Power perThread;
    private final double ramWattsPerGigabyte;
    private final Description description;
    private final LongSupplier nanoClock;
    private final double baselineCpuSeconds;
    private long lastNanos;
    private double lastResidentGigabytes;
    private double ramJoules;
    private double cpuJoules;

    /**
     * @param tree                the processes to charge
     * @param perThread           the power of one fully busy hardware thread
     * @param ramWattsPerGigabyte memory power per resident gigabyte
     * @param components          CPU, RAM or both (a component a counter already measures is left out)
     * @param assumptions         how {@code perThread} was chosen, stated in the report
     * @param nanoClock           a monotonic clock in nanoseconds
     * @param countSinceProcessStart charge the tree's CPU time since its processes started (a command just
     *                            launched to be tracked) rather than since this meter opened
     */
    public CpuTimeEstimateMeter(ProcessTree tree, Power perThread, double ramWattsPerGigabyte, Set<Component> components,
                                List<String> assumptions, LongSupplier nanoClock, boolean countSinceProcessStart) {
        if (!(ramWattsPerGigabyte >= 0) || components.isEmpty() || components.contains(Component.GPU)) {
            throw new IllegalArgumentException("the estimate covers CPU and RAM with a non-negative RAM power");
        }
        this.tree = tree;
        this.perThread = perThread;
        this.ramWattsPerGigabyte = ramWattsPerGigabyte;
        this.nanoClock = nanoClock;
        ProcessTree.Usage first = tree.sample();
        this.baselineCpuSeconds = countSinceProcessStart ? 0 : first.cpuSeconds();
        this.lastNanos = nanoClock.getAsLong();
        this.lastResidentGigabytes = first.residentBytes() / 1e9;
        List<String> notes = new ArrayList<>(assumptions);
        notes.add("scope: CPU time and resident memory of process " + tree.rootPid() + " and its descendants, read from /proc");
        if (components.contains(Component.CPU)) {
            notes.add(String.format(Locale.ROOT, "CPU energy = CPU seconds x %.2f W per busy hardware thread; "
                    + "idle power of the machine not attributed", perThread.watts()));
        }
        if (components.contains(Component.RAM)) {
            notes.add(String.format(Locale.ROOT, "RAM energy = resident GB x %.3f W/GB, integrated over time "
                    + "(3 W per 8 GB DDR4, as CodeCarbon documents); installed RAM is not charged", ramWattsPerGigabyte));
        }
        // CPU time comes from /proc in clock ticks: a process tree that used less than one registers none
        this.description = new Description("estimate", Method.ESTIMATED, components,
                String.format(Locale.ROOT, "one %.0f ms CPU tick", 1_000 / ProcessTree.TICKS_PER_SECOND), notes);
    }

    @Override
    public Description description() {
        return description;
    }

    @Override
    public synchronized Map<Component, Energy> read() {
        ProcessTree.Usage usage = tree.sample();
        long now = nanoClock.getAsLong();
        double seconds = Math.max(0, (now - lastNanos) / 1e9);
        double residentGigabytes = usage.residentBytes() / 1e9;
        ramJoules += (lastResidentGigabytes + residentGigabytes) / 2 * ramWattsPerGigabyte * seconds;
        lastResidentGigabytes = residentGigabytes;
        lastNanos = now;
        cpuJoules = Math.max(cpuJoules, (usage.cpuSeconds() - baselineCpuSeconds) * perThread.watts());
        Map<Component, Energy> out = new EnumMap<>(Component.class);
        if (components().contains(Component.CPU)) {
            out.put(Component.CPU, Energy.ofJoules(cpuJoules));
        }
        if (components().contains(Component.RAM)) {
            out.put(Component.RAM, Energy.ofJoules(ramJoules));
        }
        return out;
    }

    /** CPU seconds the tree has used since the meter opened, as of the last read. */
    public synchronized double cpuSeconds() {
        return cpuJoules / perThread.watts();
    }

    @Override
    public void close() {
        // reads /proc per sample; nothing held open
    }
}
