package dev.verdant.train.transfer;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.verdant.io.NearestName;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.runtime.ModelInputs;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pretrained model cut at one tensor: the nodes that compute that tensor, their weights and the inputs they read,
 * with the tensor as the only graph output. The part after the cut (the old classifier) is gone; a new head goes on
 * top of {@link #featureTensor()}.
 *
 * <p>A <em>layer</em>, for unfreezing, is a node that reads a floating-point weight (an initializer), counted back
 * from the cut; a {@code MatMul} and the {@code Add} of its bias count as one layer, as a {@code Gemm} would. In a
 * token encoder a layer is an encoder block ({@code encoder.layer.N}: attention, feed-forward and their layer
 * norms), and the embeddings before the first block belong to no layer: they stay frozen.
 *
 * @param model         the truncated model, its one output being {@code featureTensor}
 * @param featureTensor the tensor the model was cut at
 * @param layers        the layers before the cut, input side first
 * @param layerKind     what a layer is, for messages ({@code parameterized layers}, {@code encoder layers})
 * @param source        the model as given, uncut
 */
public record Backbone(ModelProto model, String featureTensor, List<Layer> layers, String layerKind,
        ModelProto source) {

    /** A node of encoder block N: {@code /encoder/layer.3/...}, {@code encoder.layers.3.}, {@code h.3.}. */
    private static final Pattern BLOCK = Pattern.compile("(?:^|[/._])(?:layers?|blocks?|h)[._/](\\d+)(?:[/._]|$)");

    /** Ops whose input is the classifier's feature vector when they read a weight. */
    private static final Set<String> CLASSIFIER_OPS = Set.of("Gemm", "MatMul");

    /** Ops whose outputs are candidate cuts when the cut is chosen: activations and poolings. */
    private static final Set<String> CUT_CANDIDATE_OPS = Set.of("Relu", "LeakyRelu", "PRelu", "Elu", "Selu", "Gelu",
            "Sigmoid", "Tanh", "HardSigmoid", "HardSwish", "Softplus", "Clip", "MaxPool", "AveragePool",
            "GlobalAveragePool", "GlobalMaxPool");

    public Backbone {
        layers = List.copyOf(layers);
    }

    /**
     * One parameterized layer: its node names and the weights it reads.
     *
     * @param nodes      the node names (one, or a MatMul and its bias Add)
     * @param parameters the floating-point initializers those nodes read
     */
    public record Layer(List<String> nodes, List<String> parameters) {
        public Layer {
            nodes = List.copyOf(nodes);
            parameters = List.copyOf(parameters);
        }
    }

    /**
     * Cuts {@code model} at a tensor or node: {@code at} names a tensor, or a node whose first output is taken; when
     * empty, the input of the last classifier layer (the last {@code Gemm}, or {@code MatMul} with a weight), which
     * is the penultimate layer's output.
     *
     * @throws IllegalArgumentException naming the nearest candidates when {@code at} names nothing in the model
     */
    public static Backbone cut(ModelProto model, Optional<String> at) {
        OnnxGraph graph = OnnxGraph.of(model);
        String tensor = at.map(name -> resolveCut(graph, name)).orElseGet(() -> penultimate(graph));
        return truncate(graph, tensor);
    }

    /**
     * A token encoder cut at its mean-pooled token states ({@link MeanPooling#append}): a backbone whose feature
     * tensor is {@link MeanPooling#OUTPUT}, its layers the encoder blocks (when node names number them; otherwise
     * each weight-reading node).
     */
    public static Backbone ofEncoder(ModelProto encoder) {
        Backbone cut = cut(MeanPooling.append(encoder), Optional.of(MeanPooling.OUTPUT));
        try {
            return cut.byEncoderBlocks();
        } catch (IllegalArgumentException unnumbered) {
            return cut; // a token encoder exported without block names: layers are its weight-reading nodes
        }
    }

    /**
     * The backbone a model gives: a token encoder (one reading {@code input_ids}) cut at its mean-pooled output,
     * anything else cut at {@code at} (or before its classifier).
     *
     * @throws IllegalArgumentException when {@code at} names nothing in the model, or names a cut of a token encoder
     */
    public static Backbone of(ModelProto model, Optional<String> at) {
        if (ModelInputs.of(model).readsText()) {
            if (at.isPresent() && !at.get().equals(MeanPooling.OUTPUT)) {
                throw new IllegalArgumentException("a token encoder is cut at its mean-pooled output ('"
                        + MeanPooling.OUTPUT + "'); --cut " + at.get() + " is not supported for it");
            }
            return ofEncoder(model);
        }
        return cut(model, at);
    }

    /**
     * The tensors a transfer may cut {@code model} at when it chooses the cut: the output of every activation and
     * pooling node the classifier's input depends on, and that input itself (the default cut), input side first.
     *
     * @throws IllegalArgumentException when the model has no classifier layer to find the default cut by
     */
    public static List<String> candidateCuts(ModelProto model) {
        OnnxGraph graph = OnnxGraph.of(model);
        String penultimate = penultimate(graph);
        Set<String> ancestors = dependencies(graph, penultimate).readTensors();
        List<String> candidates = new ArrayList<>();
        for (NodeProto node : graph.topologicalOrder()) {
            String output = node.getOutput(0);
            if (CUT_CANDIDATE_OPS.contains(node.getOpType()) && ancestors.contains(output)
                    && !output.equals(penultimate)) {
                candidates.add(output);
            }
        }
        candidates.add(penultimate);
        return candidates;
    }

    /** The tensor {@code name} designates: a tensor of that name, else the first output of a node of that name. */
    private static String resolveCut(OnnxGraph graph, String name) {
        if (graph.initializer(name).isPresent()) {
            throw new IllegalArgumentException("cannot cut at '" + name + "': it is a weight (initializer), not an"
                    + " activation; name a node or the tensor it outputs");
        }
        if (graph.producer(name).isPresent() || graph.inputs().stream().anyMatch(i -> i.getName().equals(name))) {
            return name;
        }
        for (NodeProto node : graph.nodes()) {
            if (node.getName().equals(name)) {
                return node.getOutput(0);
            }
        }
        Set<String> candidates = new LinkedHashSet<>();
        for (NodeProto node : graph.topologicalOrder()) {
            if (!node.getName().isEmpty()) {
                candidates.add(node.getName());
            }
            node.getOutputList().stream().filter(o -> !o.isEmpty()).forEach(candidates::add);
        }
        throw new IllegalArgumentException("no tensor or node named '" + name + "' to cut at; nearest: "
                + nearest(name, candidates, 5));
    }

    /** The {@code count} names closest to {@code name} by edit distance (case-insensitive), closest first. */
    static List<String> nearest(String name, Set<String> candidates, int count) {
        String key = name.toLowerCase(Locale.ROOT);
        return candidates.stream()
                .sorted(Comparator.comparingInt((String c) -> NearestName.distance(key, c.toLowerCase(Locale.ROOT)))
                        .thenComparing(Comparator.naturalOrder()))
                .limit(count).toList();
    }

    /** The activation input of the last Gemm/MatMul that reads a weight. */
    private static String penultimate(OnnxGraph graph) {
        List<NodeProto> order = graph.topologicalOrder();
        for (int i = order.size() - 1; i >= 0; i--) {
            NodeProto node = order.get(i);
            if (!CLASSIFIER_OPS.contains(node.getOpType())) {
                continue;
            }
            List<String> activations = node.getInputList().stream().limit(2)
                    .filter(input -> !input.isEmpty() && graph.initializer(input).isEmpty()).toList();
            if (activations.size() == 1 && node.getInputCount() >= 2) { // one activation times one weight
                return activations.get(0);
            }
        }
        throw new IllegalArgumentException("found no classifier layer (a Gemm or MatMul with a weight) to cut"
                + " before; name the tensor to cut at with --cut");
    }

    /** The nodes a tensor depends on, and the tensors they read (the tensor itself included). */
    private record Dependencies(Set<NodeProto> nodes, Set<String> readTensors) {
    }

    /** What {@code tensor} depends on, by a walk back through producers. */
    private static Dependencies dependencies(OnnxGraph graph, String tensor) {
        Set<NodeProto> needed = new HashSet<>();
        Set<String> readTensors = new HashSet<>();
        Deque<String> pending = new ArrayDeque<>(List.of(tensor));
        while (!pending.isEmpty()) {
            String name = pending.pop();
            if (!readTensors.add(name)) {
                continue;
            }
            graph.producer(name).filter(needed::add).ifPresent(node -> node.getInputList().stream()
                    .filter(input -> !input.isEmpty()).forEach(pending::push));
        }
        return new Dependencies(needed, readTensors);
    }

    private static Backbone truncate(OnnxGraph graph, String tensor) {
        Dependencies dependencies = dependencies(graph, tensor);
        Set<NodeProto> needed = dependencies.nodes();
        Set<String> readTensors = dependencies.readTensors();
        List<NodeProto> nodes = graph.topologicalOrder().stream().filter(needed::contains).toList();
        List<ValueInfoProto> inputs = graph.inputs().stream().filter(i -> readTensors.contains(i.getName())).toList();
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("tensor '" + tensor + "' does not depend on any model input");
        }
        ValueInfoProto output = graph.valueInfo(tensor).orElseGet(() -> ValueInfoProto.newBuilder().setName(tensor)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(DataType.FLOAT.code()))).build());
        GraphProto.Builder cut = GraphProto.newBuilder().setName(graph.graph().getName() + "_backbone")
                .addAllNode(nodes).addAllInput(inputs).addOutput(output);
        for (TensorProto initializer : graph.graph().getInitializerList()) {
            if (readTensors.contains(initializer.getName())) {
                cut.addInitializer(initializer);
            }
        }
        graph.graph().getValueInfoList().stream()
                .filter(v -> readTensors.contains(v.getName()) && !v.getName().equals(tensor))
                .forEach(cut::addValueInfo);
        ModelProto model = graph.model().toBuilder().setGraph(cut).clearMetadataProps().build();
        return new Backbone(model, tensor, layers(OnnxGraph.of(model)), "parameterized layers", graph.model());
    }

    private static List<Layer> layers(OnnxGraph graph) {
        List<Layer> layers = new ArrayList<>();
        for (NodeProto node : graph.topologicalOrder()) {
            List<String> weights = node.getInputList().stream()
                    .filter(input -> graph.initializer(input).map(t -> DataType.of(t).isFloatingPoint()).orElse(false))
                    .toList();
            if (weights.isEmpty()) {
                continue;
            }
            boolean biasOfMatMul = node.getOpType().equals("Add") && !layers.isEmpty() && node.getInputList().stream()
                    .anyMatch(input -> graph.producer(input).map(p -> p.getOpType().equals("MatMul")
                            && layers.get(layers.size() - 1).nodes().contains(p.getName())).orElse(false));
            if (biasOfMatMul) {
                Layer last = layers.remove(layers.size() - 1);
                layers.add(new Layer(concat(last.nodes(), List.of(node.getName())), concat(last.parameters(), weights)));
            } else {
                layers.add(new Layer(List.of(node.getName()), weights));
            }
        }
        return layers;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        b.stream().filter(x -> !all.contains(x)).forEach(all::add);
        return all;
    }

    /**
     * This backbone with its layers regrouped into encoder blocks: each block holds the weights its nodes read
     * (numbered by the block index in node names, as exported transformers name them). Weights outside every block
     * (embeddings) join no layer.
     *
     * @throws IllegalArgumentException when no node name carries a block index
     */
    public Backbone byEncoderBlocks() {
        OnnxGraph graph = OnnxGraph.of(model);
        java.util.TreeMap<Integer, List<String>> nodes = new java.util.TreeMap<>();
        java.util.TreeMap<Integer, List<String>> weights = new java.util.TreeMap<>();
        for (NodeProto node : graph.topologicalOrder()) {
            Matcher block = BLOCK.matcher(node.getName());
            if (!block.find()) {
                continue;
            }
            int index = Integer.parseInt(block.group(1));
            nodes.computeIfAbsent(index, i -> new ArrayList<>()).add(node.getName());
            node.getInputList().stream()
                    .filter(input -> graph.initializer(input).map(t -> DataType.of(t).isFloatingPoint()).orElse(false))
                    .forEach(input -> {
                        List<String> names = weights.computeIfAbsent(index, i -> new ArrayList<>());
                        if (!names.contains(input)) {
                            names.add(input);
                        }
                    });
        }
        if (weights.isEmpty()) {
            throw new IllegalArgumentException("found no encoder blocks (nodes named like /encoder/layer.N/) in the"
                    + " backbone");
        }
        List<Layer> blocks = weights.keySet().stream().map(i -> new Layer(nodes.get(i), weights.get(i))).toList();
        return new Backbone(model, featureTensor, blocks, "encoder layers", source);
    }

    /**
     * The weights of the last {@code count} layers before the cut.
     *
     * @throws IllegalArgumentException when {@code count} is negative or more than the backbone has
     */
    public List<String> parametersOfLastLayers(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("the number of layers to unfreeze cannot be negative, got " + count);
        }
        if (count > layers.size()) {
            throw new IllegalArgumentException("cannot unfreeze the last " + count + " layers: the backbone has "
                    + layers.size() + " " + layerKind + " before its cut");
        }
        List<String> names = new ArrayList<>();
        for (Layer layer : layers.subList(Math.max(0, layers.size() - count), layers.size())) {
            names.addAll(layer.parameters());
        }
        return names;
    }

    /** Every floating-point weight of the backbone, in file order. */
    public List<String> parameters() {
        return model.getGraph().getInitializerList().stream().filter(t -> DataType.of(t).isFloatingPoint())
                .map(TensorProto::getName).toList();
    }

    /** The one graph input, for backbones that read one (images); fails with one line otherwise. */
    public ValueInfoProto singleInput() {
        List<ValueInfoProto> inputs = model.getGraph().getInputList();
        if (inputs.size() != 1) {
            throw new IllegalArgumentException("the backbone reads " + inputs.size() + " inputs "
                    + inputs.stream().map(ValueInfoProto::getName).toList() + "; this needs one");
        }
        return inputs.get(0);
    }
}
