package dev.verdant.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A read-only view over one model's main graph: nodes in topological order, the producer and consumers of each
 * tensor, initializers and value infos by name, opset imports and metadata. Passes read through this view and
 * build a new {@link ModelProto}; the model itself is immutable.
 */
public final class OnnxGraph {

    /** The domain name ONNX uses for its default operator set. */
    public static final String DEFAULT_DOMAIN = "";

    private final ModelProto model;
    private final List<NodeProto> topologicalOrder;
    private final Map<String, NodeProto> producers = new HashMap<>();
    private final Map<String, List<NodeProto>> consumers = new HashMap<>();
    private final Map<String, TensorProto> initializers = new LinkedHashMap<>();
    private final Map<String, ValueInfoProto> valueInfos = new LinkedHashMap<>();
    private final Map<String, Long> opsets = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    private OnnxGraph(ModelProto model) {
        this.model = model;
        GraphProto graph = model.getGraph();
        for (TensorProto initializer : graph.getInitializerList()) {
            initializers.put(initializer.getName(), initializer);
        }
        for (ValueInfoProto info : graph.getValueInfoList()) {
            valueInfos.put(info.getName(), info);
        }
        for (ValueInfoProto info : graph.getInputList()) {
            valueInfos.put(info.getName(), info);
        }
        for (ValueInfoProto info : graph.getOutputList()) {
            valueInfos.put(info.getName(), info);
        }
        indexEdges(graph.getNodeList(), producers, consumers);
        for (OperatorSetIdProto opset : model.getOpsetImportList()) {
            opsets.put(opset.getDomain().equals("ai.onnx") ? DEFAULT_DOMAIN : opset.getDomain(), opset.getVersion());
        }
        for (StringStringEntryProto entry : model.getMetadataPropsList()) {
            metadata.put(entry.getKey(), entry.getValue());
        }
        this.topologicalOrder = sort(graph.getNodeList());
    }

    /** The view of a model's main graph. */
    public static OnnxGraph of(ModelProto model) {
        return new OnnxGraph(model);
    }

    public ModelProto model() {
        return model;
    }

    public GraphProto graph() {
        return model.getGraph();
    }

    /** Nodes in the order the file lists them. */
    public List<NodeProto> nodes() {
        return model.getGraph().getNodeList();
    }

    /** Nodes ordered so every node comes after the producers of its inputs (stable: file order where free). */
    public List<NodeProto> topologicalOrder() {
        return topologicalOrder;
    }

    /** The node that produces a tensor, empty for graph inputs, initializers and unknown names. */
    public Optional<NodeProto> producer(String tensor) {
        return Optional.ofNullable(producers.get(tensor));
    }

    /** The nodes that read a tensor (a node reading it twice appears twice). */
    public List<NodeProto> consumers(String tensor) {
        return Collections.unmodifiableList(consumers.getOrDefault(tensor, List.of()));
    }

    /** Whether a tensor is one of the graph's outputs. */
    public boolean isGraphOutput(String tensor) {
        return model.getGraph().getOutputList().stream().anyMatch(o -> o.getName().equals(tensor));
    }

    public Optional<TensorProto> initializer(String name) {
        return Optional.ofNullable(initializers.get(name));
    }

    /** Initializers by name, in file order. */
    public Map<String, TensorProto> initializers() {
        return Collections.unmodifiableMap(initializers);
    }

    /** The declared type and shape of a tensor (graph input, output or value_info), where the file gives one. */
    public Optional<ValueInfoProto> valueInfo(String name) {
        return Optional.ofNullable(valueInfos.get(name));
    }

    /** The graph inputs a caller must feed: declared inputs that are not initializers. */
    public List<ValueInfoProto> inputs() {
        return model.getGraph().getInputList().stream().filter(i -> !initializers.containsKey(i.getName())).toList();
    }

    public List<ValueInfoProto> outputs() {
        return model.getGraph().getOutputList();
    }

    /** Operator set version by domain; the default ONNX domain is {@code ""}. */
    public Map<String, Long> opsets() {
        return Collections.unmodifiableMap(opsets);
    }

    /** The default-domain operator set version, or 0 when the model does not import it. */
    public long opset() {
        return opsets.getOrDefault(DEFAULT_DOMAIN, 0L);
    }

    /** The model's {@code metadata_props}. */
    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    /** Every tensor name the graph mentions: inputs, initializers and node outputs. */
    public Set<String> tensorNames() {
        Set<String> names = new LinkedHashSet<>();
        model.getGraph().getInputList().forEach(i -> names.add(i.getName()));
        names.addAll(initializers.keySet());
        names.addAll(producers.keySet());
        return names;
    }

    /** Kahn's algorithm over the data edges; throws when the graph has a cycle or reads an undefined tensor. */
    private List<NodeProto> sort(List<NodeProto> nodes) {
        Set<String> available = new java.util.HashSet<>(initializers.keySet());
        model.getGraph().getInputList().forEach(i -> available.add(i.getName()));
        Map<NodeProto, Integer> pending = new IdentityHashMap<>();
        Map<String, List<NodeProto>> waiting = new HashMap<>();
        Deque<NodeProto> ready = new ArrayDeque<>();
        for (NodeProto node : nodes) {
            int missing = 0;
            for (String input : new LinkedHashSet<>(node.getInputList())) {
                if (!input.isEmpty() && !available.contains(input)) {
                    if (!producers.containsKey(input)) {
                        throw new ModelFormatException("node '" + node.getName() + "' (" + node.getOpType()
                                + ") reads tensor '" + input + "' that nothing defines");
                    }
                    missing++;
                    waiting.computeIfAbsent(input, k -> new ArrayList<>()).add(node);
                }
            }
            pending.put(node, missing);
            if (missing == 0) {
                ready.add(node);
            }
        }
        List<NodeProto> order = new ArrayList<>(nodes.size());
        while (!ready.isEmpty()) {
            NodeProto node = ready.poll();
            order.add(node);
            for (String output : node.getOutputList()) {
                for (NodeProto next : waiting.getOrDefault(output, List.of())) {
                    if (pending.merge(next, -1, Integer::sum) == 0) {
                        ready.add(next);
                    }
                }
            }
        }
        if (order.size() != nodes.size()) {
            throw new ModelFormatException("the graph has a cycle: " + (nodes.size() - order.size())
                    + " nodes can never run");
        }
        return Collections.unmodifiableList(order);
    }

    /**
     * Records, for each tensor that {@code nodes} write or read, its producer and its readers in node order (empty
     * names, which ONNX uses for omitted optional inputs and outputs, are skipped): the edge index every graph view
     * and editor builds.
     */
    public static void indexEdges(Iterable<NodeProto> nodes, Map<String, NodeProto> producers,
            Map<String, List<NodeProto>> consumers) {
        for (NodeProto node : nodes) {
            for (String output : node.getOutputList()) {
                if (!output.isEmpty()) {
                    producers.put(output, node);
                }
            }
            for (String input : node.getInputList()) {
                if (!input.isEmpty()) {
                    consumers.computeIfAbsent(input, k -> new ArrayList<>()).add(node);
                }
            }
        }
    }
}
