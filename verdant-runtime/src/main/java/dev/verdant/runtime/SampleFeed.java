package dev.verdant.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real examples a user gave ({@link InputSamples}) as bench's inputs: the first step of each of the first
 * {@link Feed#MAX_DISTINCT_BATCHES} examples, one example a run, with any state input the step lacks as zeros
 * ({@link SequenceRunner}'s first step). A run of a stateful model is timed as one step of its sequence.
 *
 * @param samples the examples
 * @param states  the state links, whose inputs start at zero
 */
public record SampleFeed(InputSamples samples, StateLinks states) implements Feed {

    public SampleFeed {
        if (samples.samples().isEmpty()) {
            throw new IllegalArgumentException(samples.description() + " holds no example");
        }
    }

    @Override
    public String kind() {
        return "data";
    }

    @Override
    public String description() {
        return samples.description() + (states.isEmpty() ? "" : ", one step of each sequence a run");
    }

    /**
     * @throws IllegalArgumentException when {@code batchSize} is not 1: the examples come one at a time
     */
    @Override
    public PreparedBatches prepare(OrtRunner runner, int batchSize) {
        if (batchSize != 1) {
            throw new IllegalArgumentException("the examples of " + samples.description() + " are measured one at "
                    + "a time; use --batch 1");
        }
        List<Map<String, InputTensor>> steps = new ArrayList<>();
        for (InputSample sample : samples.samples().subList(0, Math.min(MAX_DISTINCT_BATCHES,
                samples.samples().size()))) {
            Map<String, InputTensor> step = new LinkedHashMap<>(sample.steps().get(0));
            SequenceRunner.initialState(runner.inputs(), states).forEach(step::putIfAbsent);
            steps.add(step);
        }
        return PreparedBatches.of(steps.size(), 1, steps::get);
    }
}
