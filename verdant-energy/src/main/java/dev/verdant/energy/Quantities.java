package dev.verdant.energy;

import java.util.Locale;

/** Formats a quantity with an SI prefix so a human reads {@code 1.25 kJ} rather than {@code 1250.0 J}. */
final class Quantities {

    private static final String[] PREFIXES = {"µ", "m", "", "k", "M", "G", "T"};

    private Quantities() {
    }

    static String format(double value, String unit) {
        if (value == 0) {
            return "0 " + unit;
        }
        int index = 2;
        double scaled = value;
        while (Math.abs(scaled) >= 1_000 && index < PREFIXES.length - 1) {
            scaled /= 1_000;
            index++;
        }
        while (Math.abs(scaled) < 1 && index > 0) {
            scaled *= 1_000;
            index--;
        }
        return String.format(Locale.ROOT, "%.3g %s%s", scaled, PREFIXES[index], unit);
    }
}
