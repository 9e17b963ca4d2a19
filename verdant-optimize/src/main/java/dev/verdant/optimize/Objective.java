package dev.verdant.optimize;

import dev.verdant.report.Search;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What the search minimizes among the candidates that meet the tolerance. */
public enum Objective {
    /** IT energy per inference, measured on this machine. */
    ENERGY("energy per inference", "mJ", 1e3),
    /** Mean time per inference. */
    LATENCY("time per inference", "ms", 1),
    /** The model file's size. */
    SIZE("model size", "MB", 1e-6);

    private final String label;
    private final String unit;
    private final double displayScale;

    Objective(String label, String unit, double displayScale) {
        this.label = label;
        this.unit = unit;
        this.displayScale = displayScale;
    }

    /** The value of an operating point in the objective's base unit (joules, milliseconds, bytes); lower is better. */
    public double value(OperatingPoint point) {
        return switch (this) {
            case ENERGY -> point.measurement().energyJoulesPerInference();
            case LATENCY -> point.measurement().millisPerInference();
            case SIZE -> point.candidate().facts().bytes();
        };
    }

    /** The objective as a search result records it, with the unit its values are shown in. */
    public Search.Objective part() {
        return new Search.Objective(optionName(), label, unit, displayScale);
    }

    public String label() {
        return label;
    }

    /** The name as the option spells it. */
    public String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code energy}, {@code latency} or {@code size}. */
    public static Objective parse(String text) {
        for (Objective objective : values()) {
            if (objective.optionName().equalsIgnoreCase(text.strip())) {
                return objective;
            }
        }
        throw new IllegalArgumentException("unknown objective '" + text + "'; accepted: "
                + Arrays.stream(values()).map(Objective::optionName).collect(Collectors.joining(", ")));
    }
}
