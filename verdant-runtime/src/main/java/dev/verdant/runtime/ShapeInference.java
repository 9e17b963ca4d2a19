package dev.verdant.runtime;

import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxGraph;
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
 * from data) are left to an ONNX Runtime probe that exposes just their outputs and runs without ONNX Runtime's memory
 * pools. Its memory is bounded: with a batch above 2 it runs at batch 1 and 2 and scales the batch dim linearly, and a
 * run whose estimated footprint is over {@link #PROBE_BUDGET_BYTES} is not made (a note says which tensors stay
 * unknown). Inspect ({@code ModelInspector}) counts MACs on these shapes.
 */
public final class ShapeInference {

    /** What one probe run may hold, by {@link #estimateProbeBytes}'s estimate: 1 GiB. */
    public static final long PROBE_BUDGET_BYTES = 1L << 30;
    /** Probe rounds before the last one asks for every tensor still unknown at once. */
    private static final int MAX_PROBE_ROUNDS = 4;

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
        return infer(graph, inputShapes, PROBE_BUDGET_BYTES);
    }

    /**
     * Shapes as ONNX Runtime alone finds them: one run with every node output exposed, so every intermediate tensor
     * is held at once (memory grows with the inputs, e.g. all attention scores of all layers). This was inspect's
     * only path; it stays as the oracle the rules are checked against, for small shapes only.
     */
    public static InferredShapes probeAll(OnnxGraph graph, Map<String, long[]> inputShapes) {
        Map<String, TensorFacts> facts = seed(graph, inputShapes);
        Set<String> wanted = unknownOutputs(graph.nodes(), facts);
        Map<String, TensorFacts> probed = OrtShapeProbe.run(graph, inputShapes, wanted);
        facts.putAll(probed);
        return result(facts, probed.keySet(), Set.of(), 1, List.of());
    }

    /** As {@link #infer(OnnxGraph, Map)} with another budget for the probe (0: never probe). */
    static InferredShapes infer(OnnxGraph graph, Map<String, long[]> inputShapes, long probeBudgetBytes) {
        Map<String, TensorFacts> facts = seed(graph, inputShapes);
        Set<String> probed = new LinkedHashSet<>();
        Set<String> declared = new LinkedHashSet<>();
        List<String> notes = new ArrayList<>();
        int runs = 0;
        for (int round = 0; round < MAX_PROBE_ROUNDS; round++) {
            List<NodeProto> blocked = propagate(graph, facts, declared);
            if (blocked.isEmpty()) {
                break;
            }
            // the blocked nodes, and every node the rules can never answer: one run usually settles all of them
            List<NodeProto> ask = new ArrayList<>(blocked);
            graph.nodes().stream().filter(n -> !ShapeRules.covers(n)).forEach(ask::add);
            boolean last = round == MAX_PROBE_ROUNDS - 1;
            Set<String> wanted = unknownOutputs(last ? graph.nodes() : ask, facts);
            Probe probe = probe(graph, inputShapes, wanted, facts, probeBudgetBytes, notes);
            runs += probe.runs();
            if (probe.found().isEmpty()) {
                break;
            }
            facts.putAll(probe.found());
            probed.addAll(probe.found().keySet());
        }
        return result(facts, probed, declared, runs, notes);
    }

    private static InferredShapes result(Map<String, TensorFacts> facts, Set<String> probed, Set<String> declared,
            int runs, List<String> notes) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        facts.forEach((name, f) -> shapes.put(name, f.shape()));
        return new InferredShapes(shapes, probed, declared, runs, notes);
    }

    /** Facts of the graph inputs (dims as given) and of the initializers (with the values of small ones). */
    private static Map<String, TensorFacts> seed(OnnxGraph graph, Map<String, long[]> inputShapes) {
        Map<String, TensorFacts> facts = new LinkedHashMap<>();
        for (ValueInfoProto input : graph.inputs()) {
            long[] dims = inputShapes.get(input.getName());
            if (dims != null) {
                facts.put(input.getName(), TensorFacts.of(DataType.of(input.getType().getTensorType().getElemType()),
                        dims));
            }
        }
        graph.initializers().forEach((name, tensor) -> facts.put(name, TensorFacts.ofConstant(tensor)));
        return facts;
    }

    /**
     * One pass of the rules over the nodes in topological order, adding what they find to {@code facts}; returns
     * the blocked nodes: those whose inputs are all known but an output is still not.
     */
    private static List<NodeProto> propagate(OnnxGraph graph, Map<String, TensorFacts> facts, Set<String> declared) {
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
                    declared.add(name);
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

    private static Set<String> unknownOutputs(List<NodeProto> nodes, Map<String, TensorFacts> facts) {
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
     * Runs the probe for the wanted tensors within the budget: with a batch above 2, at batch 1 and 2 scaled to the
     * batch (memory that does not grow with it); otherwise, or when the model does not run at the smaller batches,
     * at the given shapes; when the run would be over the budget, not at all (with a note).
     */
    private static Probe probe(OnnxGraph graph, Map<String, long[]> inputShapes, Set<String> wanted,
            Map<String, TensorFacts> facts, long budgetBytes, List<String> notes) {
        if (wanted.isEmpty()) {
            return new Probe(Map.of(), 0);
        }
        String what = wanted.size() + " tensors (" + String.join(", ", opsOf(graph, wanted)) + ")";
        BatchAxes batch = BatchAxes.of(graph, inputShapes);
        String scaledFailure = null;
        if (batch.size() > 2) {
            Map<String, long[]> atTwo = batch.resized(inputShapes, 2);
            long estimate = estimateProbeBytes(graph, wanted, rulesOnly(graph, atTwo));
            if (estimate <= budgetBytes) {
                try {
                    Map<String, TensorFacts> one = OrtShapeProbe.run(graph, batch.resized(inputShapes, 1), wanted);
                    Map<String, TensorFacts> two = OrtShapeProbe.run(graph, atTwo, wanted);
                    Map<String, TensorFacts> found = new LinkedHashMap<>();
                    one.forEach((name, f) -> extrapolate(f, two.get(name), batch.size())
                            .ifPresent(scaled -> found.put(name, scaled)));
                    notes.add(String.format(Locale.ROOT, "shapes of %s found by running the model in ONNX Runtime"
                            + " at batch 1 and 2 (about %s each) and scaling the batch dim to %d", what,
                            mebibytes(estimate), batch.size()));
                    return new Probe(found, 2);
                } catch (IllegalArgumentException e) {
                    scaledFailure = e.getMessage();
                }
            }
        }
        long estimate = estimateProbeBytes(graph, wanted, facts);
        if (estimate <= budgetBytes) {
            try {
                return new Probe(OrtShapeProbe.run(graph, inputShapes, wanted), 1);
            } catch (IllegalArgumentException e) {
                // a model that does not run on generated values (a sample rate of 1, a state of the wrong size)
                // still has every shape the rules found: say what is missing instead of refusing the whole answer
                notes.add("shapes of " + what + " not found: " + e.getMessage() + "; MACs of the nodes that need "
                        + "them are not counted");
                return new Probe(Map.of(), 1);
            }
        }
        notes.add(String.format(Locale.ROOT, "shapes of %s not found: running the model in ONNX Runtime would hold"
                + " about %s, over the probe's budget of %s%s; MACs of the nodes that need them are not counted",
                what, mebibytes(estimate), mebibytes(budgetBytes),
                scaledFailure == null ? "" : " (at batch 1 and 2 it did not run: " + scaledFailure + ")"));
        return new Probe(Map.of(), 0);
    }

    /** What the rules alone find for these input shapes (no probe). */
    private static Map<String, TensorFacts> rulesOnly(OnnxGraph graph, Map<String, long[]> inputShapes) {
        Map<String, TensorFacts> facts = seed(graph, inputShapes);
        propagate(graph, facts, new LinkedHashSet<>());
        return facts;
    }

    /**
     * What the probe would hold: each wanted output estimated at the size of its node's largest known input, plus
     * twice the largest known tensor for the run's own working set (saturating at {@code Long.MAX_VALUE}).
     */
    static long estimateProbeBytes(OnnxGraph graph, Set<String> wanted, Map<String, TensorFacts> facts) {
        long largest = facts.values().stream().mapToLong(TensorFacts::bytes).max().orElse(0);
        long total = saturatingAdd(largest, largest);
        for (NodeProto node : graph.nodes()) {
            long outputs = node.getOutputList().stream().filter(wanted::contains).count();
            if (outputs > 0) {
                long input = node.getInputList().stream().map(facts::get).filter(f -> f != null)
                        .mapToLong(TensorFacts::bytes).max().orElse(largest);
                for (int i = 0; i < outputs; i++) {
                    total = saturatingAdd(total, input);
                }
            }
        }
        return total;
    }

    private static long saturatingAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    /**
     * The batch of the inputs: axis 0 of every input whose axis 0 is not fixed by the model, and every other axis
     * named like one of those (a state input [2, batch, 128]). Its size is -1 when there is none or they disagree.
     */
    private record BatchAxes(Map<String, List<Integer>> axes, long size) {

        static BatchAxes of(OnnxGraph graph, Map<String, long[]> inputShapes) {
            Set<String> names = new LinkedHashSet<>();
            Map<String, List<Integer>> axes = new LinkedHashMap<>();
            for (ValueInfoProto input : graph.inputs()) {
                List<TensorShapeProto.Dimension> dims = input.getType().getTensorType().getShape().getDimList();
                if (!dims.isEmpty() && !dims.get(0).hasDimValue()) {
                    axes.computeIfAbsent(input.getName(), k -> new ArrayList<>()).add(0);
                    if (!dims.get(0).getDimParam().isEmpty()) {
                        names.add(dims.get(0).getDimParam());
                    }
                }
            }
            for (ValueInfoProto input : graph.inputs()) {
                List<TensorShapeProto.Dimension> dims = input.getType().getTensorType().getShape().getDimList();
                for (int i = 1; i < dims.size(); i++) {
                    if (names.contains(dims.get(i).getDimParam())) {
                        axes.computeIfAbsent(input.getName(), k -> new ArrayList<>()).add(i);
                    }
                }
            }
            long size = -1;
            for (Map.Entry<String, List<Integer>> entry : axes.entrySet()) {
                long[] dims = inputShapes.get(entry.getKey());
                for (int axis : entry.getValue()) {
                    if (dims == null || axis >= dims.length || (size >= 0 && dims[axis] != size)) {
                        return new BatchAxes(Map.of(), -1);
                    }
                    size = dims[axis];
                }
            }
            return new BatchAxes(axes, size);
        }

        /** The input shapes with every batch axis at {@code batch}. */
        Map<String, long[]> resized(Map<String, long[]> inputShapes, long batch) {
            Map<String, long[]> shapes = new LinkedHashMap<>();
            inputShapes.forEach((name, dims) -> {
                long[] copy = dims.clone();
                axes.getOrDefault(name, List.of()).forEach(axis -> copy[axis] = batch);
                shapes.put(name, copy);
            });
            return shapes;
        }
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
