package dev.verdant.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real examples a user gave with {@code --inputs} (NumPy arrays, ONNX tensors, images, audio frames), already
 * matched to the model's inputs, as bench's inputs. Without state, each step of each example is one run, and
 * {@code batchSize} of them are stacked along the first axis when a batch holds more than one. A stateful model
 * ({@link StateLinks}) is timed one step a run, the first step of each of the first
 * {@link Feed#MAX_DISTINCT_BATCHES} examples, with its state inputs as zeros ({@link SequenceRunner}'s first step).
 *
 * @param samples the matched examples
 * @param states  the state links, whose inputs start at zero; {@link StateLinks#none()} for a model without state
 */
public record SampleFeed(InputSamples samples, StateLinks states) implements Feed {

    public SampleFeed {
        if (samples.samples().isEmpty()) {
            throw new IllegalArgumentException(samples.description() + " holds no example");
        }
    }

    /** Examples of a model without state. */
    public SampleFeed(InputSamples samples) {
        this(samples, StateLinks.none());
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
     * @throws IllegalArgumentException when a step lacks a model input no state feeds, when there are
     *                                  fewer steps than one batch, or when a stateful model is asked for a batch
     *                                  above 1
     */
    @Override
    public PreparedBatches prepare(OrtRunner runner, int batchSize) {
        samples.requireInputs(runner.inputs().names(), states.stateInputs());
        if (!states.isEmpty()) {
            if (batchSize != 1) {
                throw new IllegalArgumentException("the examples of " + samples.description() + " are measured one "
                        + "at a time; use --batch 1");
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
        List<Map<String, InputTensor>> steps = new ArrayList<>();
        samples.samples().forEach(sample -> steps.addAll(sample.steps()));
        int count = Math.min(MAX_DISTINCT_BATCHES, steps.size() / batchSize);
        if (count == 0) {
            throw new IllegalArgumentException("--inputs holds " + steps.size() + " examples, fewer than the batch "
                    + "size " + batchSize);
        }
        return PreparedBatches.of(count, batchSize, i -> batch(steps.subList(i * batchSize, (i + 1) * batchSize)));
    }

    private static Map<String, InputTensor> batch(List<Map<String, InputTensor>> steps) {
        Map<String, InputTensor> batch = new LinkedHashMap<>();
        for (String name : steps.get(0).keySet()) {
            batch.put(name, InputTensors.stack(name, steps.stream().map(step -> step.get(name)).toList()));
        }
        return batch;
    }
}
