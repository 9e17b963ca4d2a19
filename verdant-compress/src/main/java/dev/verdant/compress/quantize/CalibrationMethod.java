package dev.verdant.compress.quantize;

import java.util.Locale;

/**
 * How static quantization turns the activations seen on calibration data into a quantization range.
 */
public enum CalibrationMethod {
    /** The smallest and largest value seen: no clipping, coarse steps when there are outliers. */
    MIN_MAX,
    /** The 99.99th percentile of magnitudes: clips rare outliers for finer steps. */
    PERCENTILE,
    /** The clipping threshold that minimizes the KL divergence between the float and 128-level histograms. */
    ENTROPY;

    /** The name as options spell it: {@code minmax}, {@code percentile}, {@code entropy}. */
    public String optionName() {
        return this == MIN_MAX ? "minmax" : name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code minmax}, {@code percentile} or {@code entropy} (also {@code kl}). */
    public static CalibrationMethod parse(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "")) {
            case "minmax" -> MIN_MAX;
            case "percentile" -> PERCENTILE;
            case "entropy", "kl" -> ENTROPY;
            default -> throw new IllegalArgumentException("unknown calibration method '" + text
                    + "'; accepted: minmax, percentile, entropy");
        };
    }
}
