package dev.verdant.runtime.inspect;

import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.verdant.onnx.OnnxGraph;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Concrete shapes for a graph's inputs: the ones the user gave ({@code input_ids=1x128}), symbolic dims they bind
 * shared with the other inputs, and documented defaults for what stays open (batch 1, other dynamic dims 128). The
 * batch is the first axis, or, behind a leading fixed size above 1 (a recurrent state {@code [2, ?, 128]}), the first
 * dynamic one.
 *
 * @param shapes      input name to its concrete dims
 * @param assumptions one sentence per default that was applied, for the report
 * @param warnings    one line per symbolic dimension given two sizes (the same name on two axes), naming both
 */
public record InputShapes(Map<String, long[]> shapes, List<String> assumptions, List<String> warnings) {

    /** A symbolic dimension bound to a size, and the axis that bound it. */
    private record Binding(long size, String axis) {
    }

    /** Default for a dynamic first axis (the batch). */
    public static final long DEFAULT_BATCH = 1;
    /** Default for any other dynamic axis (a sequence length or an image side). */
    public static final long DEFAULT_DYNAMIC_DIM = 128;

    public InputShapes {
        shapes = Map.copyOf(shapes);
        assumptions = List.copyOf(assumptions);
        warnings = List.copyOf(warnings);
    }

    /** Parses {@code name=1x128} (also {@code 1,128}); throws a one-line error for anything else. */
    public static Map.Entry<String, long[]> parseSpec(String spec) {
        int eq = spec.lastIndexOf('=');
        if (eq <= 0 || eq == spec.length() - 1) {
            throw new IllegalArgumentException("--shape '" + spec + "' must look like NAME=1x128");
        }
        String name = spec.substring(0, eq);
        // -1 keeps empty parts: "x=1x" and "x=x" are a missing dim, not the shapes [1] and []
        String[] parts = spec.substring(eq + 1).split("[x,×]", -1);
        long[] dims = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                dims[i] = Long.parseLong(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--shape '" + spec + "': " + (parts[i].isBlank() ? "a dim is missing"
                        : "'" + parts[i] + "' is not a whole number"));
            }
            if (dims[i] <= 0) {
                throw new IllegalArgumentException("--shape '" + spec + "': dims must be positive, got " + dims[i]);
            }
        }
        long elements = 1;
        for (long dim : dims) {
            // checked before each product: the bound keeps every product below Long.MAX_VALUE
            elements = elements > Integer.MAX_VALUE / dim ? Long.MAX_VALUE : elements * dim;
        }
        if (elements > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--shape '" + spec + "' makes a tensor of more than 2^31-1 elements, "
                    + "more than ONNX Runtime's Java tensors hold");
        }
        return Map.entry(name, dims);
    }

    /** Resolves the inputs' shapes from the user's specs, checking names and ranks against the graph. */
    public static InputShapes resolve(OnnxGraph graph, Map<String, long[]> given) {
        List<ValueInfoProto> inputs = graph.inputs();
        Map<String, ValueInfoProto> byName = new LinkedHashMap<>();
        inputs.forEach(i -> byName.put(i.getName(), i));
        Map<String, Binding> symbols = new HashMap<>();
        java.util.Set<String> ambiguous = new java.util.HashSet<>();
        List<String> warnings = new ArrayList<>();
        for (Map.Entry<String, long[]> entry : given.entrySet()) {
            ValueInfoProto input = byName.get(entry.getKey());
            if (input == null) {
                throw new IllegalArgumentException("--shape names '" + entry.getKey()
                        + "', which is not an input; the inputs are " + String.join(", ", byName.keySet()));
            }
            List<TensorShapeProto.Dimension> declared = input.getType().getTensorType().getShape().getDimList();
            long[] dims = entry.getValue();
            if (input.getType().getTensorType().hasShape() && declared.size() != dims.length) {
                throw new IllegalArgumentException("--shape " + entry.getKey() + " has " + dims.length
                        + " dims but the input has rank " + declared.size());
            }
            for (int d = 0; d < declared.size() && d < dims.length; d++) {
                TensorShapeProto.Dimension dim = declared.get(d);
                if (dim.hasDimValue() && dim.getDimValue() > 0 && dim.getDimValue() != dims[d]) {
                    throw new IllegalArgumentException("--shape " + entry.getKey() + ": axis " + d + " is fixed at "
                            + dim.getDimValue() + " in the model, not " + dims[d]);
                }
                if (dim.hasDimParam() && !dim.getDimParam().isEmpty()) {
                    String axis = "input " + entry.getKey() + " axis " + d;
                    Binding previous = symbols.putIfAbsent(dim.getDimParam(), new Binding(dims[d], axis));
                    if (previous != null && previous.size() != dims[d] && ambiguous.add(dim.getDimParam())) {
                        warnings.add(String.format(java.util.Locale.ROOT, "dimension '%s' is %d on %s but %d on %s;"
                                + " one name means one size, so it binds no other axis", dim.getDimParam(),
                                previous.size(), previous.axis(), dims[d], axis));
                    }
                }
            }
        }
        // A symbol given two values (exporters sometimes name every axis "batch") binds nothing.
        ambiguous.forEach(symbols::remove);
        Map<String, long[]> shapes = new LinkedHashMap<>();
        List<String> assumptions = new ArrayList<>();
        for (ValueInfoProto input : inputs) {
            if (given.containsKey(input.getName())) {
                shapes.put(input.getName(), given.get(input.getName()).clone());
                continue;
            }
            List<TensorShapeProto.Dimension> declared = input.getType().getTensorType().getShape().getDimList();
            // An input declared exactly like a given one (input_ids / attention_mask / token_type_ids) gets its shape.
            java.util.Optional<long[]> twin = given.entrySet().stream()
                    .filter(e -> sameDeclaredShape(byName.get(e.getKey()), input))
                    .map(Map.Entry::getValue).findFirst();
            if (twin.isPresent()) {
                shapes.put(input.getName(), twin.get().clone());
                continue;
            }
            long[] dims = new long[declared.size()];
            List<String> defaulted = new ArrayList<>();
            int batchAxis = batchAxis(declared);
            for (int d = 0; d < dims.length; d++) {
                TensorShapeProto.Dimension dim = declared.get(d);
                if (dim.hasDimValue() && dim.getDimValue() > 0) {
                    dims[d] = dim.getDimValue();
                } else if (dim.hasDimParam() && symbols.containsKey(dim.getDimParam())) {
                    dims[d] = symbols.get(dim.getDimParam()).size();
                } else {
                    dims[d] = d == batchAxis ? DEFAULT_BATCH : DEFAULT_DYNAMIC_DIM;
                    boolean named = dim.hasDimParam() && !dim.getDimParam().isEmpty();
                    defaulted.add((named ? dim.getDimParam() : "axis " + d) + "=" + dims[d]);
                    if (named && !ambiguous.contains(dim.getDimParam())) {
                        // the default binds the name too: another axis of that name gets the same size
                        symbols.put(dim.getDimParam(), new Binding(dims[d], "input " + input.getName() + " axis " + d));
                    }
                }
            }
            if (!defaulted.isEmpty()) {
                assumptions.add("input " + input.getName() + ": dynamic " + String.join(", ", defaulted)
                        + " (set with --shape " + input.getName() + "=" + format(dims) + ")");
            }
            shapes.put(input.getName(), dims);
        }
        return new InputShapes(shapes, assumptions, warnings);
    }

    /**
     * Which axis of an input is its batch: the first when it is dynamic; none when it is a fixed 1 (an export for
     * batch 1); otherwise, when a fixed size above 1 leads (a recurrent state's layers or directions, as in
     * {@code [2, batch, 128]}), the first dynamic axis. -1 for none.
     */
    static int batchAxis(List<TensorShapeProto.Dimension> declared) {
        if (declared.isEmpty()) {
            return -1;
        }
        if (!isFixed(declared.get(0))) {
            return 0;
        }
        if (declared.get(0).getDimValue() == 1) {
            return -1;
        }
        for (int d = 1; d < declared.size(); d++) {
            if (!isFixed(declared.get(d))) {
                return d;
            }
        }
        return -1;
    }

    private static boolean isFixed(TensorShapeProto.Dimension dim) {
        return dim.hasDimValue() && dim.getDimValue() > 0;
    }

    private static boolean sameDeclaredShape(ValueInfoProto a, ValueInfoProto b) {
        return a.getType().getTensorType().hasShape() && b.getType().getTensorType().hasShape()
                && a.getType().getTensorType().getShape().equals(b.getType().getTensorType().getShape());
    }

    /** Dims written as {@code 1x128}. */
    public static String format(long[] dims) {
        return Arrays.stream(dims).mapToObj(Long::toString).collect(Collectors.joining("x"));
    }
}
