package dev.verdant.report.console;

import java.util.Locale;

/** Human-readable numbers for console tables: counts with SI prefixes, bytes with binary-free decimal units. */
public final class Units {

    private Units() {
    }

    /** 22713216 → {@code 22.71 M}; 1434451968 → {@code 1.434 G}. */
    public static String count(long value) {
        double v = value;
        String[] prefixes = {"", " k", " M", " G", " T", " P"};
        int i = 0;
        while (Math.abs(v) >= 1000 && i < prefixes.length - 1) {
            v /= 1000;
            i++;
        }
        return i == 0 ? Long.toString(value) : String.format(Locale.ROOT, "%.4g%s", v, prefixes[i]);
    }

    /** Bytes in decimal units (MB = 10^6 bytes), as file sizes are usually compared. */
    public static String bytes(long value) {
        double v = value;
        String[] units = {" B", " kB", " MB", " GB", " TB"};
        int i = 0;
        while (Math.abs(v) >= 1000 && i < units.length - 1) {
            v /= 1000;
            i++;
        }
        return i == 0 ? value + " B" : String.format(Locale.ROOT, "%.2f%s", v, units[i]);
    }

    public static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f%%", fraction * 100);
    }

    /** {@code 43% lower}, {@code 12% higher} or {@code the same}: {@code after} against {@code before}. */
    public static String change(double after, double before) {
        if (before == 0 || after == before) {
            return "the same";
        }
        double percent = (after - before) / before * 100;
        return String.format(Locale.ROOT, "%.0f%% %s", Math.abs(percent), percent < 0 ? "lower" : "higher");
    }
}
