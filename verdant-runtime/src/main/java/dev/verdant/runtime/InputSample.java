package dev.verdant.runtime;

import java.util.List;
import java.util.Map;

/**
 * One real example for a model, read from a user's file: a single step for most models, or a sequence of steps for
 * a model whose outputs feed its next inputs (a WAV file cut in frames for a voice-activity model). Each step holds
 * tensors by model input name; an input the model carries from one step to the next (its state) is absent, and is
 * filled by whoever runs the sequence.
 *
 * @param source where the example came from (a file, or a file and an index), for messages and reports
 * @param steps  the model inputs of each step, in order; at least one
 */
public record InputSample(String source, List<Map<String, InputTensor>> steps) {

    public InputSample {
        if (steps.isEmpty()) {
            throw new IllegalArgumentException(source + " holds no step");
        }
        steps = steps.stream().map(Map::copyOf).toList();
    }

    /** A one-step example. */
    public static InputSample single(String source, Map<String, InputTensor> inputs) {
        return new InputSample(source, List.of(inputs));
    }

    /** Whether this example is a sequence of more than one step. */
    public boolean isSequence() {
        return steps.size() > 1;
    }
}
