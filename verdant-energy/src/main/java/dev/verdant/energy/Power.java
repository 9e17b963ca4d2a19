package dev.verdant.energy;

/**
 * A rate of energy use, held in watts (joules per second).
 *
 * @param watts the power in watts, never negative and always finite
 */
public record Power(double watts) implements Comparable<Power> {

    /** No power. */
    public static final Power ZERO = new Power(0.0);

    public Power {
        if (!Double.isFinite(watts) || watts < 0) {
            throw new IllegalArgumentException("power must be a finite, non-negative number of watts, got " + watts);
        }
    }

    public static Power ofWatts(double watts) {
        return new Power(watts);
    }

    public static Power ofMilliwatts(double milliwatts) {
        return new Power(milliwatts / 1_000.0);
    }

    public static Power ofKilowatts(double kilowatts) {
        return new Power(kilowatts * 1_000.0);
    }

    public double kilowatts() {
        return watts / 1_000.0;
    }

    /**
     * The average power that spends {@code energy} over {@code seconds}; zero over no time. (Power converts both
     * ways, so that Energy need not know Power.)
     */
    public static Power averageOf(Energy energy, double seconds) {
        if (!(seconds > 0)) {
            return ZERO;
        }
        return ofWatts(energy.joules() / seconds);
    }

    /** The energy this power spends in {@code seconds}. */
    public Energy over(double seconds) {
        return Energy.ofJoules(watts * seconds);
    }

    public Power times(double factor) {
        return new Power(watts * factor);
    }

    @Override
    public int compareTo(Power other) {
        return Double.compare(watts, other.watts);
    }

    @Override
    public String toString() {
        return Quantities.format(watts, "W");
    }
}
