package dev.verdant.energy;

/**
 * A mass of greenhouse gases in CO2-equivalent, held in grams.
 *
 * @param grams the mass in grams, never negative and always finite
 */
public record Co2e(double grams) implements Comparable<Co2e> {

    /** No emissions. */
    public static final Co2e ZERO = new Co2e(0.0);

    public Co2e {
        if (!Double.isFinite(grams) || grams < 0) {
            throw new IllegalArgumentException("emissions must be a finite, non-negative number of grams, got " + grams);
        }
    }

    public static Co2e ofGrams(double grams) {
        return new Co2e(grams);
    }

    public static Co2e ofKilograms(double kilograms) {
        return new Co2e(kilograms * 1_000.0);
    }

    public static Co2e ofTonnes(double tonnes) {
        return new Co2e(tonnes * 1_000_000.0);
    }

    public double kilograms() {
        return grams / 1_000.0;
    }

    public double tonnes() {
        return grams / 1_000_000.0;
    }

    public Co2e plus(Co2e other) {
        return new Co2e(grams + other.grams);
    }

    public Co2e times(double factor) {
        return new Co2e(grams * factor);
    }

    @Override
    public int compareTo(Co2e other) {
        return Double.compare(grams, other.grams);
    }

    /** With the unit that reads naturally: {@code 420 mgCO2e}, {@code 17.4 kgCO2e}, {@code 552 tCO2e}. */
    @Override
    public String toString() {
        return (grams >= 1_000_000 ? Quantities.format(tonnes(), "t") : Quantities.format(grams, "g")) + "CO2e";
    }
}
