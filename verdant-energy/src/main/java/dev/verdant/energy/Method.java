package dev.verdant.energy;

import java.util.Locale;

/** How a figure was obtained: read from a hardware energy counter, or computed from a model and a table. */
public enum Method {
    /** Read from a hardware counter (RAPL, NVML energy or sampled power). */
    MEASURED,
    /** Computed from CPU time, memory use and published power figures. */
    ESTIMATED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The weaker of two methods: a total that contains one estimate is an estimate. */
    public Method and(Method other) {
        return this == ESTIMATED || other == ESTIMATED ? ESTIMATED : MEASURED;
    }
}
