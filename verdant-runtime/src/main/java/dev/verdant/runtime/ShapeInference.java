package dev.verdant.runtime;

import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.Tensors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Concrete shapes of every tensor in a graph for given input shapes, found without running the model where ONNX's
 * shape rules allow ({@link ShapeRules}, node by node in topological order, folding the small integer tensors of
 * shape arithmetic). Only the nodes the rules cannot answer (an op without a rule, a Reshape whose target is computed
 * from data) are left to an ONNX Runtime probe that exposes just their outputs, bounded in memory: when the probe
 * at the given shapes would hold more than a limit it runs at batch 1 and 2 and extrapolates the batch dim, and when
 * even that is too big it is skipped with a note. Inspect ({@code ModelInspector}) counts MACs on these shapes.
 */
public final class ShapeInference {

    /** Probe rounds before the last one asks for every tensor still unknown at once. */
    private static final int MAX_PROBE_ROUNDS = 4;
    private static final long GIB = 1L << 30;

    private ShapeInference() {
    }

    /**
     * Shapes for these input shapes: by the rules first, by a bounded ONNX Runtime probe for what is left.
     *
     * @param inputShapes concrete dims of every graph input
     * @throws IllegalArgumentException when the shapes contradict the graph (dims that do not broadcast, ...) or
     *                                  ONNX Runtime cannot run the model with them
     */
    public static InferredShapes infer(OnnxGraph graph, Map<String, long[]> inputShapes) {
        return infer(graph, inputShapes, defaultProbeLimitBytes());
    }

    /**
     * Shapes as ONNX Runtime alone finds them: one run with every node output exposed, so every intermediate tensor
     * is held at once (memory grows with the inputs, e.g. all attention scores of all layers). This was inspect's
     * only path; it stays as the oracle the rules are checked against, for small shapes only.
     */
    public static InferredShapes probeAll(OnnxGraph graph, Map<String, long[]> inputShapes) {
        Map<String, TensorFacts> facts = seed(graph, inputShapes);
        Set<String> wanted = unknownOutputs(graph, graph.nodes(), facts);
        Map<String, TensorFacts> probed = OrtShapeProbe.run(graph, inputShapes, wanted);
        facts.putAll(probed);
        return result(facts, probed.keySet(), 1, List.of());
    }

    /** The most the probe may hold: 1 GiB, or a quarter of the JVM's heap limit when that is less. */
    static long defaultProbeLimitBytes() {
        return Math.min(GIB, Runtime.getRuntime().maxMemory() / 4);
    }

    static InferredShapes infer(OnnxGraph graph, Map<String, long[]> inputShapes, long probeLimitBytes) {
        Map<String, TensorFacts> facts = seed(graph, inputShapes);
        Set<String> probed = new LinkedHashSet<>();
        List<String> notes = new ArrayList<>();
        int runs = 0;
        for (int round = 0; round < MAX_PROBE_ROUNDS; round++) {
            List<NodeProto> blocked = propagate(graph, facts);
            if (blocked.isEmpty()) {
                break;
            }
            // the blocked nodes, and every node the rules can never answer: one run usually settles all of them
            List<NodeProto> ask = new ArrayList<>(blocked);
            graph.nodes().stream().filter(n -> !ShapeRules.covers(n)).forEach(ask::add);
            boolean last = round == MAX_PROBE_ROUNDS - 1;
            Set<String> wanted = unknownOutputs(graph, last ? graph.nodes() : ask, facts);
            Probe probe = probe(graph, inputShapes, wanted, facts, probeLimitBytes, notes);
            runs += probe.runs();
            if (probe.found().isEmpty()) {
                break;
            }
            facts.putAll(probe.found());
            probed.addAll(probe.found().keySet());
        }
        return result(facts, probed, runs, notes);
    }

    private static InferredShapes result(Map<String, TensorFacts> facts, Set<String> probed, int runs,
            List<String> notes) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        facts.forEach((name, f) -> shapes.put(name, f.shape()));
        return new InferredShapes(shapes, probed, runs, notes);
    }

    /** Facts of the graph inputs (dims as given) and of the initializers (with the values of small integer ones). */
    private static Map<String, TensorFacts> seed(OnnxGraph graph, Map<String, long[]> inputShapes) {
        Map<String, TensorFacts> facts = new LinkedHashMap<>();
        for (ValueInfoProto input : graph.inputs()) {
            long[] dims = inputShapes.get(input.getName());
            if (dims != null) {
                facts.put(input.getName(), TensorFacts.of(DataType.of(input.getType().getTensorType().getElemType()),
                        dims));
            }
        }
        graph.initializers().forEach((name, tensor) -> facts.put(name, initializer(tensor)));
        return facts;
    }

    private static TensorFacts initializer(TensorProto tensor) {
        DataType type = DataType.of(tensor);
        long[] dims = Tensors.dims(tensor);
        boolean small = !type.isFloatingPoint() && type != DataType.STRING && type != DataType.INT4
                && type != DataType.UINT4 && TensorFacts.count(dims) <= TensorFacts.MAX_VALUES;
        return new TensorFacts(type, dims, small ? Tensors.toLongs(tensor) : null);
    }

    /**
     * One pass of the rules over the nodes in topological order, adding what they find to {@code facts}; returns
     * the blocked nodes: those whose inputs are all known but an output is still not.
     */
    private static List<NodeProto> propagate(OnnxGraph graph, Map<String, TensorFacts> facts) {
        Map<String, Long> opsets = graph.opsets();
        boolean staticInputs = graph.inputs().stream().allMatch(i -> staticShape(i).isPresent());
        List<NodeProto> blocked = new ArrayList<>();
        for (NodeProto node : graph.topologicalOrder()) {
            if (node.getOutputList().stream().allMatch(o -> o.isEmpty() || facts.containsKey(o))) {
                continue;
            }
            List<TensorFacts> inputs = new ArrayList<>();
            boolean inputsKnown = true;
            for (String input : node.getInputList()) {
                TensorFacts f = input.isEmpty() ? null : facts.get(input);
                inputsKnown &= input.isEmpty() || f != null;
                inputs.add(f);
            }
            long opset = opsets.getOrDefault(node.getDomain().equals("ai.onnx") ? "" : node.getDomain(),
                    graph.opset());
            Optional<List<TensorFacts>> outputs = inputsKnown ? ShapeRules.infer(node, opset, inputs)
                    : Optional.empty();
            boolean complete = true;
            for (int i = 0; i < node.getOutputCount(); i++) {
                String name = node.getOutput(i);
                if (name.isEmpty() || facts.containsKey(name)) {
                    continue;
                }
                if (outputs.isPresent() && i < outputs.get().size()) {
                    facts.put(name, outputs.get().get(i));
                } else if (staticInputs && graph.valueInfo(name).flatMap(ShapeInference::staticShape).isPresent()) {
                    // a fully static graph may carry the exporter's own shapes for what the rules cannot answer
                    ValueInfoProto info = graph.valueInfo(name).orElseThrow();
                    facts.put(name, TensorFacts.of(DataType.of(info.getType().getTensorType().getElemType()),
                            staticShape(info).orElseThrow()));
                } else {
                    complete = false;
                }
            }
            if (!complete && inputsKnown) {
                blocked.add(node);
            }
        }
        return blocked;
    }

    private static Set<String> unknownOutputs(OnnxGraph graph, List<NodeProto> nodes, Map<String, TensorFacts> facts) {
        Set<String> unknown = new LinkedHashSet<>();
        for (NodeProto node : nodes) {
            for (String output : node.getOutputList()) {
                if (!output.isEmpty() && !facts.containsKey(output)) {
                    unknown.add(output);
                }
            }
        }
        return unknown;
    }

    /** What a probe found, and how many times it ran the model for it. */
    private record Probe(Map<String, TensorFacts> found, int runs) {
    }

    /**
     * Runs the probe for the wanted tensors if its memory is bounded: at the given shapes, else at batch 1 and 2
     * extrapolated to the given batch, else not at all (with a note).
     */
    private static Probe probe(OnnxGraph graph, Map<String, long[]> inputShapes, Set<String> wanted,
            Map<String, TensorFacts> facts, long limitBytes, List<String> notes) {
        if (wanted.isEmpty()) {
            return new Probe(Map.of(), 0);
        }
        long estimate = estimateProbeBytes(graph, wanted, facts);
        if (estimate <= limitBytes) {
            return new Probe(OrtShapeProbe.run(graph, inputShapes, wanted), 1);
        }
        long batch = commonBatch(inputShapes);
        String what = wanted.size() + " tensors (" + String.join(", ", opsOf(graph, wanted)) + ")";
        if (batch > 2 && estimate / batch * 2 <= limitBytes) {
            Map<String, TensorFacts> one = OrtShapeProbe.run(graph, withBatch(inputShapes, 1), wanted);
            Map<String, TensorFacts> two = OrtShapeProbe.run(graph, withBatch(inputShapes, 2), wanted);
            Map<String, TensorFacts> found = new LinkedHashMap<>();
            one.forEach((name, atOne) -> extrapolate(atOne, two.get(name), batch).ifPresent(f -> found.put(name, f)));
            notes.add(String.format(Locale.ROOT, "shapes of %s probed in ONNX Runtime at batch 1 and 2 and"
                    + " extrapolated to batch %d (at batch %d the probe would hold about %s)", what, batch, batch,
                    mebibytes(estimate)));
            return new Probe(found, 2);
        }
        notes.add(String.format(Locale.ROOT, "shapes of %s not found: the ONNX Runtime probe would hold about %s,"
                + " over its limit of %s; MACs of the nodes that need them are not counted", what, mebibytes(estimate),
                mebibytes(limitBytes)));
        return new Probe(Map.of(), 0);
    }

    /**
     * What the probe would hold: each wanted output estimated at the size of its node's largest known input, plus
     * twice the largest known tensor for the run's own working set.
     */
    static long estimateProbeBytes(OnnxGraph graph, Set<String> wanted, Map<String, TensorFacts> facts) {
        long largest = facts.values().stream().mapToLong(TensorFacts::bytes).max().orElse(0);
        long total = 2 * largest;
        for (NodeProto node : graph.nodes()) {
            long outputs = node.getOutputList().stream().filter(wanted::contains).count();
            if (outputs > 0) {
                long input = node.getInputList().stream().map(facts::get).filter(f -> f != null)
                        .mapToLong(TensorFacts::bytes).max().orElse(largest);
                total += outputs * input;
            }
        }
        return total;
    }

    /** The size of axis 0 shared by every input of rank 1 or more, or -1 when they differ. */
    private static long commonBatch(Map<String, long[]> inputShapes) {
        long batch = -1;
        for (long[] dims : inputShapes.values()) {
            if (dims.length > 0) {
                if (batch >= 0 && dims[0] != batch) {
                    return -1;
                }
                batch = dims[0];
            }
        }
        return batch;
    }

    private static Map<String, long[]> withBatch(Map<String, long[]> inputShapes, long batch) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        inputShapes.forEach((name, dims) -> {
            long[] copy = dims.clone();
            if (copy.length > 0) {
                copy[0] = batch;
            }
            shapes.put(name, copy);
        });
        return shapes;
    }

    /** Dims (and values) linear in the batch, from their sizes at batch 1 and 2. */
    private static Optional<TensorFacts> extrapolate(TensorFacts atOne, TensorFacts atTwo, long batch) {
        if (atTwo == null || atOne.rank() != atTwo.rank()) {
            return Optional.empty();
        }
        long[] dims = linear(atOne.shape(), atTwo.shape(), batch);
        long[] values = atOne.hasValues() && atTwo.hasValues() && atOne.values().length == atTwo.values().length
                ? linear(atOne.values(), atTwo.values(), batch) : null;
        return Optional.of(new TensorFacts(atOne.type(), dims, values));
    }

    private static long[] linear(long[] atOne, long[] atTwo, long batch) {
        long[] out = new long[atOne.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = atOne[i] + (atTwo[i] - atOne[i]) * (batch - 1);
        }
        return out;
    }

    private static Set<String> opsOf(OnnxGraph graph, Set<String> tensors) {
        Set<String> ops = new TreeSet<>();
        for (NodeProto node : graph.nodes()) {
            if (node.getOutputList().stream().anyMatch(tensors::contains)) {
                ops.add(node.getOpType());
            }
        }
        return ops;
    }

    private static String mebibytes(long bytes) {
        return String.format(Locale.ROOT, "%,d MiB", (bytes + (1 << 20) - 1) >> 20);
    }

    private static Optional<long[]> staticShape(ValueInfoProto info) {
        TypeProto type = info.getType();
        if (!type.hasTensorType() || !type.getTensorType().hasShape()) {
            return Optional.empty();
        }
        List<TensorShapeProto.Dimension> dims = type.getTensorType().getShape().getDimList();
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!dims.get(i).hasDimValue() || dims.get(i).getDimValue() <= 0) {
                return Optional.empty();
            }
            shape[i] = dims.get(i).getDimValue();
        }
        return Optional.of(shape);
    }
}
