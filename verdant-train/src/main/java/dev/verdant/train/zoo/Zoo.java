package dev.verdant.train.zoo;

import java.util.List;
import java.util.Locale;

/** Looks up zoo architectures by their command-line names. */
public final class Zoo {

    /** The architectures that train on images ({@code [N, 1, 28, 28]} floats). */
    public static final List<String> IMAGE_ARCHITECTURES = List.of("mlp", "lenet5", "mobilenet");

    private Zoo() {
    }

    /**
     * An image classifier by name, for 28x28 grey input.
     *
     * @param width width multiplier (MobileNet only; must be 1 for the others)
     * @throws IllegalArgumentException for an unknown name, naming the known ones
     */
    public static Architecture imageClassifier(String id, int classes, double width, long seed) {
        String key = id.toLowerCase(Locale.ROOT);
        if (width != 1.0 && !key.equals("mobilenet")) {
            throw new IllegalArgumentException("--width applies to mobilenet only, not " + id);
        }
        return switch (key) {
            case "mlp", "lenet-300-100", "lenet300100" ->
                    new Mlp(List.of(300, 100), List.of(1L, 28L, 28L), classes, Activation.RELU, seed);
            case "lenet5", "lenet-5" -> new LeNet5(classes, Activation.RELU, false, seed);
            case "mobilenet", "mobilenetv2" -> new MobileNetV2(width, classes, seed);
            default -> throw new IllegalArgumentException("unknown image architecture '" + id + "'; expected one of "
                    + IMAGE_ARCHITECTURES);
        };
    }
}
