package dev.verdant.runtime;

import java.util.Collection;
import java.util.List;
import java.util.Map;

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
}
