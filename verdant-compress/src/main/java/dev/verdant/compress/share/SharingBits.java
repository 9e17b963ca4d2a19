package dev.verdant.compress.share;

import dev.verdant.compress.prune.WeightTensor;
import java.util.Locale;
import java.util.Map;

/**
 * How many bits each layer's cluster index gets (2^bits shared values per layer): one number for convolutions, one
 * for fully-connected layers, and overrides by weight name.
 *
 * @param convBits           bits for Conv weights, 1 to 8
 * @param fullyConnectedBits bits for MatMul and Gemm weights, 1 to 8
 * @param perTensor          bits by weight initializer name, overriding the two above
 */
public record SharingBits(int convBits, int fullyConnectedBits, Map<String, Integer> perTensor) {

    /** Indices are stored as uint8, so a layer holds at most 256 shared values. */
    public static final int MAX_BITS = 8;

    public SharingBits {
        check(convBits);
        check(fullyConnectedBits);
        perTensor = Map.copyOf(perTensor);
        perTensor.values().forEach(SharingBits::check);
    }

    /** Deep Compression's choice for AlexNet and VGG: 8 bits for convolutions, 5 for fully-connected layers. */
    public static SharingBits deepCompressionDefaults() {
        return new SharingBits(8, 5, Map.of());
    }

    /** The same bits for every layer. */
    public static SharingBits uniform(int bits) {
        return new SharingBits(bits, bits, Map.of());
    }

    /**
     * Parses {@code 5bit}, {@code 5} (every layer) or {@code default} (8 for Conv, 5 for MatMul and Gemm).
     *
     * @throws IllegalArgumentException with one line saying what is accepted
     */
    public static SharingBits parse(String spec) {
        String text = spec.strip().toLowerCase(Locale.ROOT);
        if (text.equals("default")) {
            return deepCompressionDefaults();
        }
        String number = text.endsWith("bits") ? text.substring(0, text.length() - 4)
                : text.endsWith("bit") ? text.substring(0, text.length() - 3) : text;
        try {
            return uniform(Integer.parseInt(number.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cannot read weight-sharing bits '" + spec
                    + "'; expected 1bit to 8bit (e.g. 5bit) or default", e);
        }
    }

    /** The bits for one weight. */
    public int bitsFor(WeightTensor weight) {
        Integer override = perTensor.get(weight.name());
        if (override != null) {
            return override;
        }
        return weight.isConvolution() ? convBits : fullyConnectedBits;
    }

    private static void check(int bits) {
        if (bits < 1 || bits > MAX_BITS) {
            throw new IllegalArgumentException("weight sharing needs 1 to " + MAX_BITS + " bits per index, got " + bits);
        }
    }
}
