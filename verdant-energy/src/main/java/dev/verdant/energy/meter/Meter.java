package dev.verdant.energy.meter;

import dev.verdant.energy.Component;
import dev.verdant.energy.Energy;
import dev.verdant.energy.Method;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A source of cumulative energy figures for some hardware components: a hardware counter (RAPL, NVML) or an
 * estimate. Each meter says whether its figures are measured or estimated and which assumptions they rest on.
 *
 * <p>Implementations are thread-safe: the tracker's sampling thread and the thread that stops a run both read.
 */
public sealed interface Meter extends AutoCloseable permits RaplMeter, NvmlMeter, CpuTimeEstimateMeter {

    /**
     * What a meter is, fixed when it opens: everything a report says about it besides its readings.
     *
     * @param name        a short name for reports, for example {@code rapl} or {@code nvml}
     * @param method      whether the figures come from a counter or from a model
     * @param components  the components the meter reports
     * @param resolution  the least work the figures can register, in words ({@code one 10 ms CPU tick},
     *                    {@code 1 µJ}): a run that used less reads zero, which says nothing about what it used
     * @param assumptions what the figures assume (the hardware found, the figures taken from tables, the scope)
     */
    record Description(String name, Method method, Set<Component> components, String resolution,
            List<String> assumptions) {
        public Description {
            components = Collections.unmodifiableSet(components.isEmpty() ? EnumSet.noneOf(Component.class)
                    : EnumSet.copyOf(components));
            assumptions = List.copyOf(assumptions);
        }
    }

    /** What this meter is; see {@link Description}. */
    Description description();

    /** A short name for reports, for example {@code rapl} or {@code nvml}. */
    default String name() {
        return description().name();
    }

    /** Whether this meter's figures come from a counter or from a model. */
    default Method method() {
        return description().method();
    }

    /** The components this meter reports. */
    default Set<Component> components() {
        return description().components();
    }

    /**
     * The energy each component used since the meter was opened; never decreases between calls. Calling it
     * regularly (at least once a minute) is what lets a meter handle counter wraparound and integrate power.
     */
    Map<Component, Energy> read();

    /** The least work the figures can register, in words; see {@link Description#resolution}. */
    default String resolution() {
        return description().resolution();
    }

    /** What the figures assume (the hardware found, the figures taken from tables, the scope measured). */
    default List<String> assumptions() {
        return description().assumptions();
    }

    /** Releases native handles; idempotent and never throws. */
    @Override
    void close();
}
