package dev.verdant.inputs;

import dev.verdant.io.MessageText;
import dev.verdant.runtime.InputTensor;
import dev.verdant.runtime.ModelInputs;
import java.util.Arrays;
import java.util.Locale;

/**
 * A constant for a model input that no file provides ({@code --fill sr=16000} for Silero's sample rate,
 * {@code --fill state=0} for a state that starts at zeros): every value of the input, in the input's declared shape
 * with each dynamic axis 1, in its element type.
 *
 * @param name  the model input
 * @param value the value as given
 */
public record Fill(String name, String value) {

    /**
     * Parses {@code NAME=VALUE}.
     *
     * @throws IllegalArgumentException with one line when there is no {@code =} or either side is empty
     */
    public static Fill parse(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0 || eq == text.length() - 1) {
            throw new IllegalArgumentException("--fill " + MessageText.quote(text) + " is not NAME=VALUE");
        }
        return new Fill(text.substring(0, eq).strip(), text.substring(eq + 1).strip());
    }

    /**
     * The tensor this constant gives {@code input}.
     *
     * @throws IllegalArgumentException with one line naming the input when the value is not of its type
     */
    public InputTensor tensor(ModelInputs.Input input) {
        long[] shape = Arrays.stream(input.shape()).map(d -> d < 0 ? 1 : d).toArray();
        int n = Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact));
        try {
            return switch (input.type()) {
                case FLOAT -> {
                    float[] values = new float[n];
                    Arrays.fill(values, Float.parseFloat(value));
                    yield InputTensor.ofFloats(shape, values);
                }
                case DOUBLE -> {
                    double[] values = new double[n];
                    Arrays.fill(values, Double.parseDouble(value));
                    yield InputTensor.ofDoubles(shape, values);
                }
                case FLOAT16 -> {
                    short half = Float.floatToFloat16(Float.parseFloat(value));
                    byte[] bytes = new byte[n * 2];
                    for (int i = 0; i < n; i++) {
                        bytes[2 * i] = (byte) half;
                        bytes[2 * i + 1] = (byte) (half >> 8);
                    }
                    yield InputTensor.ofLittleEndian(shape, input.type(), bytes);
                }
                case INT64 -> {
                    long[] values = new long[n];
                    Arrays.fill(values, Long.parseLong(value));
                    yield InputTensor.ofLongs(shape, values);
                }
                case INT32 -> {
                    int[] values = new int[n];
                    Arrays.fill(values, Integer.parseInt(value));
                    yield InputTensor.ofInts(shape, values);
                }
                case INT16, INT8, UINT8 -> {
                    long v = Long.parseLong(value);
                    long min = input.type() == dev.verdant.onnx.DataType.UINT8 ? 0
                            : -(1L << (8 * input.type().bytes() - 1));
                    long max = input.type() == dev.verdant.onnx.DataType.UINT8 ? 255
                            : (1L << (8 * input.type().bytes() - 1)) - 1;
                    if (v < min || v > max) {
                        throw new NumberFormatException();
                    }
                    byte[] bytes = new byte[n * input.type().bytes()];
                    for (int i = 0; i < n; i++) {
                        for (int b = 0; b < input.type().bytes(); b++) {
                            bytes[i * input.type().bytes() + b] = (byte) (v >> (8 * b));
                        }
                    }
                    yield InputTensor.ofLittleEndian(shape, input.type(), bytes);
                }
                case BOOL -> {
                    boolean[] values = new boolean[n];
                    Arrays.fill(values, bool(value));
                    yield InputTensor.ofBooleans(shape, values);
                }
                default -> throw new IllegalArgumentException("--fill " + name + ": model input '" + name
                        + "' takes " + input.type().onnxName() + " values, which --fill does not make");
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--fill " + name + "=" + MessageText.quote(value) + " is not a "
                    + input.type().onnxName() + " value, which model input '" + name + "' takes", e);
        }
    }

    private static boolean bool(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new NumberFormatException(value);
        };
    }
}
