package dev.verdant.train.zoo;

import java.util.List;
import java.util.Locale;

/** Looks up zoo architectures by their command-line names. */
public final class Zoo {

    /** The architectures that train on images ({@code [N, 1, 28, 28]} floats). */
    public static final List<String> IMAGE_ARCHITECTURES = List.of("mlp", "lenet5", "lenet5-caffe", "mobilenet");
    /** The architectures that train on token ids ({@code [N, T]} int64). */
    public static final List<String> TEXT_ARCHITECTURES = List.of("transformer");

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
                    new Mlp(List.of(300, 100), Architecture.GREY_28X28, classes, Activation.RELU, seed);
            case "lenet5", "lenet-5" -> new LeNet5(classes, Activation.RELU, false, seed);
            case "lenet5-caffe", "lenet-5-caffe" -> new CaffeLeNet(classes, seed);
            case "mobilenet", "mobilenetv2" -> new MobileNetV2(width, classes, seed);
            default -> throw new IllegalArgumentException(TEXT_ARCHITECTURES.contains(key)
                    ? id + " reads token ids, not images; use textClassifier"
                    : "unknown architecture '" + id + "'; expected one of " + IMAGE_ARCHITECTURES + " or "
                            + TEXT_ARCHITECTURES);
        };
    }

    /**
     * A text classifier by name, for token ids of a vocabulary of {@code vocabulary} ids and {@code sequenceLength}
     * tokens per text.
     */
    public static Architecture textClassifier(String id, int vocabulary, int sequenceLength, int classes, long seed) {
        if (!TEXT_ARCHITECTURES.contains(id.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("unknown text architecture '" + id + "'; expected one of "
                    + TEXT_ARCHITECTURES);
        }
        return TransformerClassifier.tiny(vocabulary, sequenceLength, classes, seed);
    }

    /** Whether {@code id} names an architecture that reads token ids. */
    public static boolean readsText(String id) {
        return TEXT_ARCHITECTURES.contains(id.toLowerCase(Locale.ROOT));
    }
}
