package dev.verdant.inputs;

import dev.verdant.runtime.InputTensor;
import dev.verdant.runtime.ModelInputs;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Matches the tensors of one example to a model's inputs: by name when every tensor names a model input, else in
 * order when there are as many tensors as inputs to feed. Each pair must agree in element type, rank and every dim
 * the model fixes; a tensor one axis short of its input gets a batch axis of 1 in front (an image saved without
 * one). Any mismatch is one line naming both sides.
 *
 * @param model   what the model reads
 * @param fills   constants for inputs no file provides, by input name
 * @param carried inputs the caller carries from step to step (a stateful model's state), which files do not give
 */
public record InputMatcher(ModelInputs model, Map<String, InputTensor> fills, Set<String> carried) {

    public InputMatcher {
        fills = Map.copyOf(fills);
        carried = Set.copyOf(carried);
    }

    /** The model inputs files must provide: every input no fill gives and the caller does not carry, in order. */
    public List<ModelInputs.Input> wanted() {
        return model.inputs().stream().filter(i -> !fills.containsKey(i.name()) && !carried.contains(i.name()))
                .toList();
    }

    /**
     * The model inputs of one example: {@code tensors} matched to the wanted inputs, plus the fills.
     *
     * @param source the example's file or folder, for messages
     * @throws IllegalArgumentException with one line naming the tensor and the model input when they do not fit, or
     *                                  the model input no tensor provides
     */
    public Map<String, InputTensor> match(List<NamedTensor> tensors, String source) {
        List<ModelInputs.Input> wanted = wanted();
        Map<String, ModelInputs.Input> byName = new LinkedHashMap<>();
        model.inputs().forEach(i -> byName.put(i.name(), i));
        Set<String> names = new HashSet<>();
        boolean named = tensors.stream().allMatch(t -> byName.containsKey(t.name()) && names.add(t.name()));
        Map<String, InputTensor> step = new LinkedHashMap<>();
        if (named) {
            for (NamedTensor tensor : tensors) {
                if (fills.containsKey(tensor.name())) {
                    throw new IllegalArgumentException(tensor.describe() + " gives model input '" + tensor.name()
                            + "', which --fill also gives; drop one");
                }
                step.put(tensor.name(), fit(tensor, byName.get(tensor.name())));
            }
        } else if (tensors.size() == wanted.size()) {
            for (int i = 0; i < tensors.size(); i++) {
                step.put(wanted.get(i).name(), fit(tensors.get(i), wanted.get(i)));
            }
        } else {
            throw new IllegalArgumentException(source + " gives " + tensors.size() + " tensor"
                    + (tensors.size() == 1 ? "" : "s") + " " + tensors.stream().map(NamedTensor::name).toList()
                    + " that neither name model inputs nor match the " + wanted.size() + " it takes "
                    + wanted.stream().map(ModelInputs.Input::name).toList() + " in order");
        }
        for (ModelInputs.Input input : wanted) {
            if (!step.containsKey(input.name())) {
                throw new IllegalArgumentException("model input '" + input.name() + "' (" + describe(input)
                        + ") is in no file of " + source + "; give it, or a constant with --fill " + input.name()
                        + "=VALUE");
            }
        }
        fills.forEach(step::putIfAbsent);
        return step;
    }

    /**
     * {@code tensor} as the value of {@code input}.
     *
     * @throws IllegalArgumentException with one line naming both when the type, the rank or a fixed dim differ
     */
    public static InputTensor fit(NamedTensor tensor, ModelInputs.Input input) {
        InputTensor values = tensor.tensor();
        long[] declared = input.shape();
        if (values.type() != input.type()) {
            throw mismatch(tensor, input, "element type " + values.type().onnxName() + ", the model takes "
                    + input.type().onnxName());
        }
        long[] shape = values.shape();
        if (shape.length == declared.length - 1 && (declared[0] == 1 || declared[0] < 0)) {
            long[] batched = new long[declared.length];
            batched[0] = 1;
            System.arraycopy(shape, 0, batched, 1, shape.length);
            values = values.reshaped(batched);
            shape = batched;
        }
        if (shape.length != declared.length) {
            throw mismatch(tensor, input, "rank " + shape.length + ", the model's is " + declared.length);
        }
        for (int axis = 0; axis < shape.length; axis++) {
            if (declared[axis] > 0 && declared[axis] != shape[axis]) {
                throw mismatch(tensor, input, "dim " + axis + " is " + shape[axis] + ", the model fixes it at "
                        + declared[axis]);
            }
        }
        return values;
    }

    private static IllegalArgumentException mismatch(NamedTensor tensor, ModelInputs.Input input, String why) {
        return new IllegalArgumentException(tensor.describe() + " does not fit model input '" + input.name() + "' ("
                + describe(input) + "): " + why);
    }

    /** A model input's type and declared shape, a dynamic dim shown as {@code ?}: {@code float [?, 3, 224, 224]}. */
    public static String describe(ModelInputs.Input input) {
        return input.type().onnxName() + " " + Arrays.stream(input.shape())
                .mapToObj(d -> d < 0 ? "?" : Long.toString(d)).collect(Collectors.joining(", ", "[", "]"));
    }
}
