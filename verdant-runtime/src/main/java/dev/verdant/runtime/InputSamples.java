package dev.verdant.runtime;

import java.util.List;

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
}
