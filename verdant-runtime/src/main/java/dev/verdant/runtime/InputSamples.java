package dev.verdant.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Real examples read from a user's files and matched to a model's inputs, with one line saying what they are (the
 * files, their count, the preprocessing applied): what compress calibrates and checks on and what optimize and bench
 * measure on when the user gives {@code --inputs}.
 *
 * @param description what the examples are, for the console, the report and provenance
 * @param samples     the examples in a fixed order
 */
public record InputSamples(String description, List<InputSample> samples) {

    public InputSamples {
        samples = List.copyOf(samples);
    }

    /**
     * Refuses, in one line naming the example, a step that lacks one of {@code inputs} other than the
     * {@code carried} ones (a state the run feeds from the previous step).
     *
     * @throws IllegalArgumentException naming the input, the example and the {@code --fill} that would give it
     */
    public void requireInputs(Collection<String> inputs, Collection<String> carried) {
        for (InputSample sample : samples) {
            for (Map<String, InputTensor> step : sample.steps()) {
                for (String name : inputs) {
                    if (!step.containsKey(name) && !carried.contains(name)) {
                        throw new IllegalArgumentException("model input '" + name + "' is in no step of "
                                + sample.source() + "; give it a constant with --fill " + name + "=VALUE");
                    }
                }
            }
        }
    }

    /**
     * SHA-256 of every example's values (each step's inputs by name, with their shapes and types), in order: two sets
     * read from files that changed but kept their names and count differ here, where their descriptions agree.
     */
    public String digest() {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        for (InputSample sample : samples) {
            for (Map<String, InputTensor> step : sample.steps()) {
                for (Map.Entry<String, InputTensor> input : new TreeMap<>(step).entrySet()) {
                    InputTensor tensor = input.getValue();
                    sha.update((input.getKey() + " " + tensor.type() + " " + Arrays.toString(tensor.shape())
                            + "\n").getBytes(StandardCharsets.UTF_8));
                    sha.update(valueBytes(tensor));
                }
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static byte[] valueBytes(InputTensor tensor) {
        if (tensor.raw() != null) {
            return tensor.raw().littleEndian();
        }
        if (tensor.floats() != null) {
            ByteBuffer bytes = ByteBuffer.allocate(tensor.floats().length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(tensor.floats());
            return bytes.array();
        }
        ByteBuffer bytes = ByteBuffer.allocate(tensor.longs().length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asLongBuffer().put(tensor.longs());
        return bytes.array();
    }
}
