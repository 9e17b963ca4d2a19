package dev.verdant.runtime;

import dev.verdant.onnx.DataType;
import dev.verdant.runtime.OrtRunner.Output;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a stateful model through a sequence: each step's inputs come from the {@link InputSample}, and each state
 * input from the output its {@link StateLinks} name at the step before (zeros at the first step, shaped as the
 * model declares the input, a dynamic dim as 1). The model's own state is carried, so an original and a compressed
 * model run through the same sequence each follow their own state, as they would in use.
 */
public final class SequenceRunner {

    private SequenceRunner() {
    }

    /**
     * The inputs each step was run with (the state inputs included: what a calibration of the model should see)
     * and the float outputs of each step.
     *
     * @param inputs  each step's inputs, states filled in
     * @param outputs each step's float outputs by name
     */
    public record SequenceRun(List<Map<String, InputTensor>> inputs, List<Map<String, Output>> outputs) {
        public SequenceRun {
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
        }
    }

    /**
     * Runs {@code sample} step by step.
     *
     * @throws IllegalArgumentException with one line when a state input is not float32, or a state output is
     *                                  missing or not float32
     */
    public static SequenceRun run(OrtRunner runner, StateLinks links, InputSample sample) {
        Map<String, InputTensor> state = initialState(runner.inputs(), links);
        List<Map<String, InputTensor>> fed = new ArrayList<>();
        List<Map<String, Output>> outputs = new ArrayList<>();
        for (Map<String, InputTensor> step : sample.steps()) {
            Map<String, InputTensor> inputs = new LinkedHashMap<>(step);
            if (fed.isEmpty()) {
                // a first step that brings its own state starts from it
                state.forEach(inputs::putIfAbsent);
            } else {
                inputs.putAll(state);
            }
            Map<String, Output> result = runner.run(inputs);
            fed.add(Map.copyOf(inputs));
            outputs.add(result);
            for (Map.Entry<String, String> link : links.links().entrySet()) {
                Output next = result.get(link.getKey());
                if (next == null) {
                    throw new IllegalArgumentException("--state " + link.getKey() + "=" + link.getValue()
                            + ": output '" + link.getKey() + "' is not a float32 tensor the model returns");
                }
                state.put(link.getValue(), InputTensor.ofFloats(next.shape(), next.values()));
            }
        }
        return new SequenceRun(fed, outputs);
    }

    /** The state inputs of the first step: zeros shaped as declared, a dynamic dim as 1. */
    static Map<String, InputTensor> initialState(ModelInputs inputs, StateLinks links) {
        Map<String, InputTensor> state = new LinkedHashMap<>();
        for (String name : links.stateInputs()) {
            ModelInputs.Input input = inputs.inputs().stream().filter(i -> i.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--state: the model has no input '" + name + "'"));
            if (input.type() != DataType.FLOAT) {
                throw new IllegalArgumentException("--state: input '" + name + "' is " + input.type()
                        + "; a state input must be float32");
            }
            long[] shape = input.shape().clone();
            long size = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shape[i] > 0 ? shape[i] : 1;
                size = Math.multiplyExact(size, shape[i]);
            }
            state.put(name, InputTensor.ofFloats(shape, new float[Math.toIntExact(size)]));
        }
        return state;
    }
}
