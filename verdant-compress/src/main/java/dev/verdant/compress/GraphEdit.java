package dev.verdant.compress;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.Provenance;
import dev.verdant.onnx.Tensors;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A mutable working copy of one model's main graph for passes that rewrite it: nodes can be removed and added,
 * initializers replaced, and {@link #build()} emits a new topologically sorted {@link ModelProto} without the
 * nodes and initializers nothing reads any more. The model it was made from is never touched.
 */
public final class GraphEdit {

    /** The ONNX Runtime contrib-op domain. */
    public static final String MICROSOFT_DOMAIN = "com.microsoft";

    private final ModelProto original;
    private final List<NodeProto> nodes;
    private final Map<String, TensorProto> initializers = new LinkedHashMap<>();
    private final Map<String, Long> opsets = new LinkedHashMap<>();
    private final Set<String> names = new HashSet<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private Map<String, NodeProto> producers;
    private Map<String, List<NodeProto>> consumers;

    public GraphEdit(ModelProto model) {
        this.original = model;
        GraphProto graph = model.getGraph();
        this.nodes = new ArrayList<>(graph.getNodeList());
        graph.getInitializerList().forEach(t -> initializers.put(t.getName(), t));
        for (OperatorSetIdProto opset : model.getOpsetImportList()) {
            opsets.put(opset.getDomain().equals("ai.onnx") ? OnnxGraph.DEFAULT_DOMAIN : opset.getDomain(),
                    opset.getVersion());
        }
        graph.getInputList().forEach(i -> names.add(i.getName()));
        names.addAll(initializers.keySet());
        for (NodeProto node : nodes) {
            names.add(node.getName());
            names.addAll(node.getOutputList());
        }
        // passes address nodes by name (keep-float patterns, sensitivity reports), so every node gets one
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).getName().isEmpty()) {
                nodes.set(i, nodes.get(i).toBuilder().setName(uniqueName(nodes.get(i).getOpType() + "_" + i)).build());
            }
        }
    }

    /** The model this edit started from. */
    public ModelProto original() {
        return original;
    }

    /** The current nodes, in no particular order once edited (a snapshot: safe to iterate while editing). */
    public List<NodeProto> nodes() {
        return List.copyOf(nodes);
    }

    /** The current nodes of one op type in the default or contrib domain, in their current order. */
    public List<NodeProto> nodesOfType(String opType) {
        return nodes.stream().filter(n -> n.getOpType().equals(opType)).toList();
    }

    /** Whether the node is still part of the graph (a pass may have removed it in an earlier match). */
    public boolean contains(NodeProto node) {
        for (NodeProto candidate : nodes) {
            if (candidate == node) {
                return true;
            }
        }
        return false;
    }

    public Optional<NodeProto> producer(String tensor) {
        index();
        return Optional.ofNullable(producers.get(tensor));
    }

    /** The producer of a node's {@code index}-th input if it has the given op type. */
    public Optional<NodeProto> producer(NodeProto node, int index, String opType) {
        if (index >= node.getInputCount()) {
            return Optional.empty();
        }
        return producer(node.getInput(index)).filter(p -> p.getOpType().equals(opType));
    }

    public List<NodeProto> consumers(String tensor) {
        index();
        return Collections.unmodifiableList(consumers.getOrDefault(tensor, List.of()));
    }

    /** The single consumer of a tensor, when exactly one node reads it and it is not a graph output. */
    public Optional<NodeProto> soleConsumer(String tensor) {
        List<NodeProto> readers = consumers(tensor);
        return readers.size() == 1 && !isGraphOutput(tensor) ? Optional.of(readers.get(0)) : Optional.empty();
    }

    public boolean isGraphOutput(String tensor) {
        return original.getGraph().getOutputList().stream().anyMatch(o -> o.getName().equals(tensor));
    }

    /** The declared graph input of that name (initializers excluded), if there is one. */
    public Optional<ValueInfoProto> graphInput(String tensor) {
        return original.getGraph().getInputList().stream()
                .filter(i -> i.getName().equals(tensor) && !initializers.containsKey(tensor)).findFirst();
    }

    public Optional<TensorProto> initializer(String name) {
        return Optional.ofNullable(initializers.get(name));
    }

    public Map<String, TensorProto> initializers() {
        return Collections.unmodifiableMap(initializers);
    }

    /**
     * The value of a tensor known before run time: an initializer, or the output of a {@code Constant} node
     * (its {@code value} or one of the typed value attributes).
     */
    public Optional<TensorProto> constant(String tensor) {
        TensorProto initializer = initializers.get(tensor);
        if (initializer != null) {
            return Optional.of(initializer);
        }
        return producer(tensor).filter(p -> p.getOpType().equals("Constant") && p.getDomain().isEmpty())
                .flatMap(GraphEdit::constantValue);
    }

    /** A constant's values as floats, if the tensor is a constant. */
    public Optional<float[]> constantFloats(String tensor) {
        return constant(tensor).filter(t -> DataType.of(t) != DataType.STRING).map(Tensors::toFloats);
    }

    /** A constant scalar (or one-element tensor) as a float. */
    public Optional<Float> constantScalar(String tensor) {
        return constantFloats(tensor).filter(v -> v.length == 1).map(v -> v[0]);
    }

    /** The index of the first input of {@code node} that is a constant, or -1. */
    public int constantInputIndex(NodeProto node) {
        for (int i = 0; i < node.getInputCount(); i++) {
            if (!node.getInput(i).isEmpty() && constant(node.getInput(i)).isPresent()) {
                return i;
            }
        }
        return -1;
    }

    private static Optional<TensorProto> constantValue(NodeProto constant) {
        for (AttributeProto attribute : constant.getAttributeList()) {
            String out = constant.getOutput(0);
            switch (attribute.getName()) {
                case "value" -> {
                    return Optional.of(attribute.getT().toBuilder().setName(out).build());
                }
                case "value_float" -> {
                    return Optional.of(Tensors.ofFloats(out, new long[0], new float[] {attribute.getF()}));
                }
                case "value_floats" -> {
                    float[] values = Attributes.getFloats(constant, "value_floats", new float[0]);
                    return Optional.of(Tensors.ofFloats(out, new long[] {values.length}, values));
                }
                case "value_int" -> {
                    return Optional.of(Tensors.ofLongs(out, new long[0], new long[] {attribute.getI()}));
                }
                case "value_ints" -> {
                    long[] values = Attributes.getInts(constant, "value_ints", new long[0]);
                    return Optional.of(Tensors.ofLongs(out, new long[] {values.length}, values));
                }
                default -> {
                    // sparse_value and strings are not used by the patterns passes match
                }
            }
        }
        return Optional.empty();
    }

    /** A name no tensor, node or initializer in the graph has yet, built from {@code base}. */
    public String uniqueName(String base) {
        String candidate = base;
        for (int i = 1; names.contains(candidate); i++) {
            candidate = base + "_" + i;
        }
        names.add(candidate);
        return candidate;
    }

    private String uniqueNodeName(String output) {
        boolean taken = nodes.stream().anyMatch(n -> n.getName().equals(output));
        return taken ? uniqueName(output) : output;
    }

    public void addNode(NodeProto node) {
        nodes.add(node);
        names.add(node.getName());
        names.addAll(node.getOutputList());
        producers = null;
    }

    /** Removes the given nodes (by identity); their outputs must no longer be read, or be produced anew. */
    public void removeNodes(Collection<NodeProto> toRemove) {
        Set<NodeProto> doomed = Collections.newSetFromMap(new IdentityHashMap<>());
        doomed.addAll(toRemove);
        nodes.removeIf(doomed::contains);
        producers = null;
    }

    /** Replaces one node (by identity) with another in place. */
    public void replaceNode(NodeProto old, NodeProto replacement) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i) == old) {
                nodes.set(i, replacement);
                names.addAll(replacement.getOutputList());
                producers = null;
                return;
            }
        }
        throw new IllegalStateException("node '" + old.getName() + "' is not in the graph");
    }

    /** Adds or replaces an initializer. */
    public void putInitializer(TensorProto tensor) {
        initializers.put(tensor.getName(), tensor);
        names.add(tensor.getName());
    }

    /** Makes sure the model imports {@code domain} at least at {@code version}. */
    public void requireOpset(String domain, long version) {
        opsets.merge(domain, version, Math::max);
    }

    /** The default-domain opset version. */
    public long opset() {
        return opsets.getOrDefault(OnnxGraph.DEFAULT_DOMAIN, 0L);
    }

    /** Sets one {@code metadata_props} entry of the model being built, merged as {@link Provenance#withEntries} does. */
    public void putMetadata(String key, String value) {
        metadata.put(key, value);
    }

    /**
     * The output of a {@code Cast} of {@code tensor} to {@code type}: an existing such Cast if the graph has one,
     * so several fused nodes share one conversion of a graph input.
     */
    public String castOf(String tensor, DataType type) {
        for (NodeProto reader : consumers(tensor)) {
            if (reader.getOpType().equals("Cast") && reader.getDomain().isEmpty()
                    && Attributes.getInt(reader, "to", -1) == type.code()) {
                return reader.getOutput(0);
            }
        }
        String output = uniqueName(tensor + "_" + type.onnxName());
        addNode(node("Cast", OnnxGraph.DEFAULT_DOMAIN, List.of(tensor), List.of(output),
                Attributes.ofInt("to", type.code())));
        return output;
    }

    /** A new node, named after its first output (unique like every tensor name), else after its op type. */
    public NodeProto node(String opType, String domain, List<String> inputs, List<String> outputs,
            AttributeProto... attributes) {
        NodeProto.Builder builder = NodeProto.newBuilder().setOpType(opType).setDomain(domain)
                .setName(outputs.isEmpty() ? uniqueName(opType) : uniqueNodeName(outputs.get(0)))
                .addAllInput(inputs).addAllOutput(outputs);
        for (AttributeProto attribute : attributes) {
            builder.addAttribute(attribute);
        }
        return builder.build();
    }

    /** Removes nodes whose outputs nothing reads (repeatedly), keeping every graph output's producer. */
    public int removeDeadNodes() {
        int removed = 0;
        boolean changed = true;
        while (changed) {
            index();
            List<NodeProto> dead = new ArrayList<>();
            for (NodeProto node : nodes) {
                boolean used = false;
                for (String output : node.getOutputList()) {
                    if (!output.isEmpty() && (isGraphOutput(output) || consumers.containsKey(output))) {
                        used = true;
                        break;
                    }
                }
                if (!used) {
                    dead.add(node);
                }
            }
            changed = !dead.isEmpty();
            removed += dead.size();
            removeNodes(dead);
        }
        return removed;
    }

    /** The edited model: nodes sorted topologically, unread initializers and stale value infos dropped. */
    public ModelProto build() {
        removeDeadNodes();
        index();
        GraphProto graph = original.getGraph();
        Set<String> read = new HashSet<>(consumers.keySet());
        graph.getOutputList().forEach(o -> read.add(o.getName()));
        Set<String> defined = new HashSet<>(producers.keySet());
        graph.getInputList().forEach(i -> defined.add(i.getName()));
        GraphProto.Builder builder = graph.toBuilder().clearNode().clearInitializer().clearValueInfo().clearInput();
        for (ValueInfoProto input : graph.getInputList()) {
            // initializers listed as inputs (IR < 4 style) go when the initializer goes
            if (!graph.getInitializerList().stream().anyMatch(t -> t.getName().equals(input.getName()))
                    || (initializers.containsKey(input.getName()) && read.contains(input.getName()))) {
                builder.addInput(input);
            }
        }
        builder.addAllNode(nodes);
        for (TensorProto initializer : initializers.values()) {
            if (read.contains(initializer.getName())) {
                builder.addInitializer(initializer);
                defined.add(initializer.getName());
            }
        }
        for (ValueInfoProto info : graph.getValueInfoList()) {
            if (defined.contains(info.getName()) && !isRewrittenType(info)) {
                builder.addValueInfo(info);
            }
        }
        ModelProto.Builder model = original.toBuilder().setGraph(builder).clearOpsetImport();
        opsets.forEach((domain, version) -> model.addOpsetImport(
                OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(version)));
        ModelProto unsorted = Provenance.withEntries(model.build(), metadata);
        List<NodeProto> sorted = OnnxGraph.of(unsorted).topologicalOrder();
        return unsorted.toBuilder().setGraph(unsorted.getGraph().toBuilder().clearNode().addAllNode(sorted)).build();
    }

    /** A value info whose tensor a pass now produces with another element type would mislead ONNX Runtime. */
    private boolean isRewrittenType(ValueInfoProto info) {
        return producer(info.getName()).map(p -> !p.getDomain().isEmpty()).orElse(false);
    }

    private void index() {
        if (producers != null) {
            return;
        }
        producers = new HashMap<>();
        consumers = new HashMap<>();
        OnnxGraph.indexEdges(nodes, producers, consumers);
        // node subgraphs (If/Loop bodies) read outer tensors implicitly; count those reads so nothing they need dies
        for (NodeProto node : nodes) {
            for (AttributeProto attribute : node.getAttributeList()) {
                if (attribute.hasG()) {
                    collectOuterReads(attribute.getG(), node);
                }
                attribute.getGraphsList().forEach(g -> collectOuterReads(g, node));
            }
        }
    }

    private void collectOuterReads(GraphProto subgraph, NodeProto owner) {
        for (NodeProto inner : subgraph.getNodeList()) {
            for (String input : inner.getInputList()) {
                if (!input.isEmpty()) {
                    consumers.computeIfAbsent(input, k -> new ArrayList<>()).add(owner);
                }
            }
            for (AttributeProto attribute : inner.getAttributeList()) {
                if (attribute.hasG()) {
                    collectOuterReads(attribute.getG(), owner);
                }
            }
        }
    }
}
