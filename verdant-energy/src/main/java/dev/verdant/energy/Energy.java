package dev.verdant.energy;

/**
 * An amount of energy, held in joules; conversions to watt-hours and kilowatt-hours are exact multiples
 * (1 Wh = 3,600 J, 1 kWh = 3.6e6 J).
 *
 * @param joules the energy in joules, never negative and always finite
 */
public record Energy(double joules) implements Comparable<Energy> {

    /** Joules in one watt-hour. */
    public static final double JOULES_PER_WATT_HOUR = 3_600.0;
    /** Joules in one kilowatt-hour. */
    public static final double JOULES_PER_KILOWATT_HOUR = 3_600_000.0;
    /** No energy. */
    public static final Energy ZERO = new Energy(0.0);

    public Energy {
        if (!Double.isFinite(joules) || joules < 0) {
            throw new IllegalArgumentException("energy must be a finite, non-negative number of joules, got " + joules);
        }
    }

    public static Energy ofJoules(double joules) {
        return new Energy(joules);
    }

    public static Energy ofMillijoules(double millijoules) {
        return new Energy(millijoules / 1_000.0);
    }

    public static Energy ofMicrojoules(double microjoules) {
        return new Energy(microjoules / 1_000_000.0);
    }

    public static Energy ofWattHours(double wattHours) {
        return new Energy(wattHours * JOULES_PER_WATT_HOUR);
    }

    public static Energy ofKilowattHours(double kilowattHours) {
        return new Energy(kilowattHours * JOULES_PER_KILOWATT_HOUR);
    }

    public double wattHours() {
        return joules / JOULES_PER_WATT_HOUR;
    }

    public double kilowattHours() {
        return joules / JOULES_PER_KILOWATT_HOUR;
    }

    public double megawattHours() {
        return joules / (JOULES_PER_KILOWATT_HOUR * 1_000.0);
    }

    public Energy plus(Energy other) {
        return new Energy(joules + other.joules);
    }

    /** The difference, clamped at zero: a counter read twice never yields negative energy. */
    public Energy minus(Energy other) {
        return new Energy(Math.max(0.0, joules - other.joules));
    }

    public Energy times(double factor) {
        return new Energy(joules * factor);
    }

    @Override
    public int compareTo(Energy other) {
        return Double.compare(joules, other.joules);
    }

    @Override
    public String toString() {
        return Quantities.format(joules, "J");
    }

    /** The energy in watt-hours with the prefix that reads naturally: {@code 169 kWh}, {@code 1.29 GWh}. */
    public String inWattHours() {
        return Quantities.format(wattHours(), "Wh");
    }
}
