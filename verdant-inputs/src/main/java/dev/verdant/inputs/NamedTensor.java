package dev.verdant.inputs;

import dev.verdant.runtime.InputTensor;
import dev.verdant.runtime.InputTensors;

/**
 * A tensor read from a user's file, with the name the file gives it (an {@code .npz} entry, a TensorProto's
 * {@code name}, a {@code .npy} file's stem) and where it came from, before it is matched to a model input.
 *
 * @param name   the name the file gives the tensor; empty when it gives none
 * @param tensor the values
 * @param source the file (and entry) it came from, for messages
 */
public record NamedTensor(String name, InputTensor tensor, String source) {

    /** The tensor as messages show it: {@code x.npy (float [1, 3])}. */
    public String describe() {
        return source + " (" + InputTensors.describe(tensor) + ")";
    }
}
