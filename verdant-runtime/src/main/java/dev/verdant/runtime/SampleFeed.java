package dev.verdant.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real examples a user gave with {@code --inputs} (NumPy arrays, ONNX tensors, images, audio frames), already
 * matched to the model's inputs: each step of each example is one run, and {@code batchSize} of them are stacked
 * along the first axis when a batch holds more than one.
 *
 * @param samples the matched examples
 */
public record SampleFeed(InputSamples samples) implements Feed {

    public SampleFeed {
        if (samples.samples().isEmpty()) {
            throw new IllegalArgumentException("--inputs gave no example");
        }
    }

    @Override
    public String kind() {
        return "data";
    }

    @Override
    public String description() {
        return samples.description();
    }

    @Override
    public PreparedBatches prepare(OrtRunner runner, int batchSize) {
        List<Map<String, InputTensor>> steps = new ArrayList<>();
        samples.samples().forEach(sample -> steps.addAll(sample.steps()));
        for (ModelInputs.Input input : runner.inputs().inputs()) {
            if (!steps.get(0).containsKey(input.name())) {
                throw new IllegalArgumentException("model input '" + input.name() + "' is in none of the --inputs "
                        + "files; give it a constant with --fill " + input.name() + "=VALUE");
            }
        }
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
