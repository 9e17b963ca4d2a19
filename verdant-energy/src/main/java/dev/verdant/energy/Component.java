package dev.verdant.energy;

import java.util.Locale;

/** The hardware parts whose energy Verdant accounts for separately, as CodeCarbon does. */
public enum Component {
    CPU, GPU, RAM;

    /** The lower-case name used in CSV, JSON and Prometheus labels. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
