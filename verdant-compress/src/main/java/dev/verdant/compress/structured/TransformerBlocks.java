package dev.verdant.compress.structured;

import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.verdant.compress.GraphEdit;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The prunable sublayers of a BERT-style encoder as exported from PyTorch, found by pattern so any encoder exported
 * the same way qualifies, not one model:
 * <pre>
 *   attention: q,k,v = Transpose(Reshape(Add(MatMul(x, Wq|Wk|Wv), b), [.., .., N, H]))   (k to (0,2,3,1))
 *              ctx   = Reshape(Transpose(MatMul(Softmax(..MatMul(q, k)..), v), (0,2,1,3)), [.., .., N*H])
 *              out   = Add(MatMul(ctx, Wo), bo)
 *   feed-forward: out = Add(MatMul(act(Add(MatMul(x, W1), b1)), W2), b2)   act: elementwise (Erf-GELU, ReLU, ...)
 * </pre>
 * Each unit records the weights to slice, the shape constants that hold the head count and width (so the rewritten
 * graph stays consistent), and the tensors to read on calibration data: the input of the output projection (one
 * column per channel) and its product.
 *
 * @param units the attention and feed-forward units, in graph order
 */
public record TransformerBlocks(List<Unit> units) {

    /** Elementwise ops an activation between the two feed-forward MatMuls may use, channel by channel. */
    private static final Set<String> ELEMENTWISE = Set.of("Add", "Sub", "Mul", "Div", "Pow", "Erf", "Tanh", "Sigmoid",
            "Relu", "Gelu", "Exp", "Sqrt", "Neg", "Abs", "Clip", "LeakyRelu", "Softplus", "HardSigmoid", "HardSwish",
            "Identity", "Dropout");

    public TransformerBlocks {
        units = List.copyOf(units);
    }

    /** The two kinds of prunable unit. */
    public enum Kind {
        /** whole attention heads: Q, K, V columns and the output projection's rows, per head */
        HEADS,
        /** feed-forward intermediate channels: W1 columns, b1 entries, W2 rows */
        FFN
    }

    /**
     * One entry of a shape constant that must follow the pruning: entry {@code index} of the int64 constant that
     * node {@code node} reads as input {@code input}.
     *
     * @param perChannel the entry's value per kept channel (1 for a head count, the head size for a width)
     */
    record ShapeEntry(String node, int input, int index, long perChannel) {
    }

    /**
     * One prunable unit: its channels are groups of {@code groupSize} columns of the output projection's input.
     *
     * @param name         the output projection's node name, for reports
     * @param kind         heads or feed-forward channels
     * @param groups       heads or intermediate channels before pruning
     * @param groupSize    columns per group (the head size; 1 for feed-forward channels)
     * @param inputWeights initializers whose columns (axis 1) are the groups: Wq, Wk, Wv or W1
     * @param inputBiases  1-D initializers holding the same groups: bq, bk, bv or b1
     * @param outputWeight the output projection [groups * groupSize, width] (Wo or W2)
     * @param outputBias   its bias [width] (bo or b2)
     * @param hidden       the tensor the output projection reads: (batch, sequence, groups * groupSize)
     * @param product      the output projection's MatMul output, before its bias: the target of reconstruction
     * @param shapes       shape constants holding the head count or the width
     */
    public record Unit(String name, Kind kind, int groups, int groupSize, List<String> inputWeights,
            List<String> inputBiases, String outputWeight, String outputBias, String hidden, String product,
            List<ShapeEntry> shapes) {
        public Unit {
            inputWeights = List.copyOf(inputWeights);
            inputBiases = List.copyOf(inputBiases);
            shapes = List.copyOf(shapes);
        }

        /** Columns of the output projection's input. */
        public int columns() {
            return groups * groupSize;
        }
    }

    /** Finds every attention and feed-forward unit in {@code graph}; empty when it holds none. */
    public static TransformerBlocks find(GraphEdit graph) {
        List<Unit> units = new ArrayList<>();
        for (NodeProto softmax : graph.nodesOfType("Softmax")) {
            attention(graph, softmax).ifPresent(units::add);
        }
        for (NodeProto matmul : graph.nodesOfType("MatMul")) {
            feedForward(graph, matmul).ifPresent(units::add);
        }
        Map<String, Integer> position = new HashMap<>();
        List<NodeProto> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            for (String output : nodes.get(i).getOutputList()) {
                position.put(output, i);
            }
        }
        units.sort(Comparator.comparingInt(u -> position.getOrDefault(u.product(), Integer.MAX_VALUE)));
        return new TransformerBlocks(units);
    }

    public boolean isEmpty() {
        return units.isEmpty();
    }

    public long count(Kind kind) {
        return units.stream().filter(u -> u.kind() == kind).count();
    }

    // ---- attention

    private record Projection(String weight, String bias, long heads, long headSize, ShapeEntry headCount,
            NodeProto reshape) {
    }

    private static Optional<Unit> attention(GraphEdit graph, NodeProto softmax) {
        if (!softmax.getDomain().isEmpty()) {
            return Optional.empty();
        }
        Optional<NodeProto> context = graph.soleConsumer(softmax.getOutput(0))
                .filter(n -> isDefault(n, "MatMul") && n.getInput(0).equals(softmax.getOutput(0)));
        Optional<NodeProto> scores = scoresMatMul(graph, softmax.getInput(0), 4);
        if (context.isEmpty() || scores.isEmpty()) {
            return Optional.empty();
        }
        Optional<Projection> q = projection(graph, scores.get().getInput(0), new long[] {0, 2, 1, 3});
        Optional<Projection> k = projection(graph, scores.get().getInput(1), new long[] {0, 2, 3, 1});
        Optional<Projection> v = projection(graph, context.get().getInput(1), new long[] {0, 2, 1, 3});
        if (q.isEmpty() || k.isEmpty() || v.isEmpty()) {
            return Optional.empty();
        }
        long heads = q.get().heads();
        long headSize = q.get().headSize();
        for (Projection p : List.of(k.get(), v.get())) {
            if (p.heads() != heads || p.headSize() != headSize) {
                return Optional.empty();
            }
        }
        // merge the heads back: Transpose (0,2,1,3), then Reshape to [.., .., N*H]; Shape nodes may read both
        Optional<NodeProto> merge = onlyReader(graph, context.get().getOutput(0), "Transpose")
                .filter(t -> Arrays.equals(Attributes.getInts(t, "perm", new long[0]), new long[] {0, 2, 1, 3}));
        Optional<NodeProto> reshape = merge.flatMap(t -> onlyReader(graph, t.getOutput(0), "Reshape"));
        if (reshape.isEmpty()) {
            return Optional.empty();
        }
        Optional<ShapeEntry> width = shapeEntry(graph, reshape.get(), 2, 3, heads * headSize, headSize);
        Optional<NodeProto> output = onlyReader(graph, reshape.get().getOutput(0), "MatMul");
        if (width.isEmpty() || output.isEmpty() || !output.get().getInput(0).equals(reshape.get().getOutput(0))) {
            return Optional.empty();
        }
        Optional<TensorProto> wo = ownWeight(graph, output.get(), 1).filter(w -> w.getDims(0) == heads * headSize);
        Optional<String> bo = wo.flatMap(w -> biasAfter(graph, output.get().getOutput(0), w.getDims(1)));
        // a computed shape (Concat) read by Reshapes outside this attention would change them too; a constant
        // shape is safe, as the rewrite gives the reshape a fresh copy
        Set<String> ownReshapes = new HashSet<>();
        for (Projection p : List.of(q.get(), k.get(), v.get())) {
            ownReshapes.add(p.reshape().getName());
        }
        boolean shapesPrivate = List.of(q.get(), k.get(), v.get()).stream().map(p -> p.reshape().getInput(1))
                .filter(shape -> graph.constant(shape).isEmpty())
                .allMatch(shape -> graph.consumers(shape).stream().allMatch(n -> ownReshapes.contains(n.getName())));
        if (bo.isEmpty() || !shapesPrivate) {
            return Optional.empty();
        }
        List<ShapeEntry> shapes = new ArrayList<>(new LinkedHashSet<>(List.of(q.get().headCount(),
                k.get().headCount(), v.get().headCount(), width.get())));
        return Optional.of(new Unit(output.get().getName(), Kind.HEADS, (int) heads, (int) headSize,
                List.of(q.get().weight(), k.get().weight(), v.get().weight()),
                List.of(q.get().bias(), k.get().bias(), v.get().bias()), output.get().getInput(1), bo.get(),
                reshape.get().getOutput(0), output.get().getOutput(0), shapes));
    }

    /** The MatMul of q and k behind the softmax's input, through scaling and mask terms. */
    private static Optional<NodeProto> scoresMatMul(GraphEdit graph, String tensor, int depth) {
        Optional<NodeProto> producer = graph.producer(tensor);
        if (producer.isEmpty() || !producer.get().getDomain().isEmpty()) {
            return Optional.empty();
        }
        NodeProto node = producer.get();
        if (node.getOpType().equals("MatMul") && graph.constant(node.getInput(0)).isEmpty()
                && graph.constant(node.getInput(1)).isEmpty()) {
            return Optional.of(node);
        }
        if (depth == 0 || !Set.of("Add", "Sub", "Mul", "Div").contains(node.getOpType())) {
            return Optional.empty();
        }
        for (String input : node.getInputList()) {
            Optional<NodeProto> found = scoresMatMul(graph, input, depth - 1);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** {@code Transpose(perm)(Reshape(Add(MatMul(x, W), b), [.., .., N, H]))}, each read only along the way. */
    private static Optional<Projection> projection(GraphEdit graph, String transposed, long[] perm) {
        Optional<NodeProto> transpose = graph.producer(transposed).filter(t -> isDefault(t, "Transpose")
                && Arrays.equals(Attributes.getInts(t, "perm", new long[0]), perm));
        Optional<NodeProto> reshape = transpose.flatMap(t -> graph.producer(t, 0, "Reshape"))
                .filter(r -> graph.consumers(r.getOutput(0)).size() == 1);
        Optional<NodeProto> add = reshape.flatMap(r -> graph.producer(r, 0, "Add"))
                .filter(a -> onlyReader(graph, a.getOutput(0), "Reshape").isPresent());
        if (add.isEmpty()) {
            return Optional.empty();
        }
        for (int biasIndex = 0; biasIndex < 2; biasIndex++) {
            Optional<NodeProto> matmul = graph.producer(add.get(), 1 - biasIndex, "MatMul")
                    .filter(m -> graph.consumers(m.getOutput(0)).size() == 1);
            Optional<TensorProto> weight = matmul.flatMap(m -> ownWeight(graph, m, 1));
            String biasName = add.get().getInput(biasIndex);
            Optional<TensorProto> bias = graph.initializer(biasName).filter(b -> isFloat(b) && b.getDimsCount() == 1)
                    .filter(b -> graph.consumers(biasName).size() == 1);
            if (weight.isEmpty() || bias.isEmpty() || bias.get().getDims(0) != weight.get().getDims(1)) {
                continue;
            }
            long columns = weight.get().getDims(1);
            Optional<long[]> split = reshapeDims(graph, reshape.get().getInput(1), 4);
            if (split.isEmpty() || split.get()[2] <= 0 || split.get()[3] <= 0
                    || split.get()[2] * split.get()[3] != columns) {
                return Optional.empty();
            }
            long heads = split.get()[2];
            long headSize = split.get()[3];
            Optional<ShapeEntry> count = shapeEntry(graph, reshape.get(), 2, 4, heads, 1);
            Optional<ShapeEntry> size = shapeEntry(graph, reshape.get(), 3, 4, headSize, 0);
            if (count.isEmpty() || size.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Projection(matmul.get().getInput(1), biasName, heads, headSize, count.get(),
                    reshape.get()));
        }
        return Optional.empty();
    }

    /** The known entries of a rank-{@code rank} reshape target (-1 where only run time knows them). */
    private static Optional<long[]> reshapeDims(GraphEdit graph, String shape, int rank) {
        long[] dims = new long[rank];
        Arrays.fill(dims, -1);
        Optional<TensorProto> constant = graph.constant(shape);
        if (constant.isPresent()) {
            long[] values = Tensors.toLongs(constant.get());
            return values.length == rank ? Optional.of(values) : Optional.empty();
        }
        Optional<NodeProto> concat = graph.producer(shape).filter(n -> isDefault(n, "Concat"));
        if (concat.isEmpty()) {
            return Optional.empty();
        }
        int offset = 0;
        for (String piece : concat.get().getInputList()) {
            Optional<TensorProto> value = graph.constant(piece);
            if (value.isPresent()) {
                long[] values = Tensors.toLongs(value.get());
                for (int i = 0; i < values.length && offset + i < rank; i++) {
                    dims[offset + i] = values[i];
                }
                offset += values.length;
            } else if (graph.producer(piece).filter(n -> isDefault(n, "Unsqueeze")).isPresent()) {
                offset++; // a dimension read at run time (Shape → Gather → Unsqueeze)
            } else {
                return Optional.empty();
            }
        }
        return offset == rank ? Optional.of(dims) : Optional.empty();
    }

    /**
     * Where entry {@code position} of the reshape target lives, if it is a constant holding {@code value};
     * {@code perChannel} is what the entry becomes per kept head (0: it stays).
     */
    private static Optional<ShapeEntry> shapeEntry(GraphEdit graph, NodeProto reshape, int position, int rank,
            long value, long perChannel) {
        String shape = reshape.getInput(1);
        Optional<long[]> dims = reshapeDims(graph, shape, rank);
        if (dims.isEmpty() || dims.get()[position] != value) {
            return Optional.empty();
        }
        if (graph.constant(shape).isPresent()) {
            return Optional.of(new ShapeEntry(reshape.getName(), 1, position, perChannel));
        }
        NodeProto concat = graph.producer(shape).orElseThrow();
        int offset = 0;
        for (int i = 0; i < concat.getInputCount(); i++) {
            Optional<TensorProto> piece = graph.constant(concat.getInput(i));
            int length = piece.map(p -> Tensors.toLongs(p).length).orElse(1);
            if (position < offset + length) {
                int input = i;
                int index = position - offset;
                return piece.map(p -> new ShapeEntry(concat.getName(), input, index, perChannel));
            }
            offset += length;
        }
        return Optional.empty();
    }

    // ---- feed-forward

    private static Optional<Unit> feedForward(GraphEdit graph, NodeProto up) {
        if (!up.getDomain().isEmpty()) {
            return Optional.empty();
        }
        Optional<TensorProto> w1 = ownWeight(graph, up, 1);
        if (w1.isEmpty()) {
            return Optional.empty();
        }
        long channels = w1.get().getDims(1);
        Optional<NodeProto> biasAdd = graph.soleConsumer(up.getOutput(0)).filter(n -> isDefault(n, "Add"));
        if (biasAdd.isEmpty()) {
            return Optional.empty();
        }
        String b1 = biasAdd.get().getInput(0).equals(up.getOutput(0)) ? biasAdd.get().getInput(1)
                : biasAdd.get().getInput(0);
        if (graph.initializer(b1).filter(b -> isFloat(b) && b.getDimsCount() == 1 && b.getDims(0) == channels)
                .isEmpty() || graph.consumers(b1).size() != 1) {
            return Optional.empty();
        }
        // the activation: every node reachable from the biased output up to W2 acts element by element
        String start = biasAdd.get().getOutput(0);
        Set<String> region = new HashSet<>(List.of(start));
        List<NodeProto> activation = new ArrayList<>();
        List<String> frontier = new ArrayList<>(List.of(start));
        NodeProto down = null;
        while (!frontier.isEmpty()) {
            String tensor = frontier.remove(frontier.size() - 1);
            if (graph.isGraphOutput(tensor)) {
                return Optional.empty();
            }
            for (NodeProto reader : graph.consumers(tensor)) {
                if (isDefault(reader, "MatMul") && reader.getInput(0).equals(tensor)
                        && ownWeight(graph, reader, 1).filter(w -> w.getDims(0) == channels).isPresent()) {
                    if (down != null && down != reader) {
                        return Optional.empty();
                    }
                    down = reader;
                } else if (reader.getDomain().isEmpty() && ELEMENTWISE.contains(reader.getOpType())
                        && reader.getOutputCount() >= 1) {
                    if (!activation.contains(reader)) {
                        activation.add(reader);
                        region.add(reader.getOutput(0));
                        frontier.add(reader.getOutput(0));
                    }
                } else {
                    return Optional.empty();
                }
            }
        }
        for (NodeProto node : activation) {
            for (String input : node.getInputList()) {
                boolean scalar = graph.constant(input).map(t -> Tensors.elementCount(t) == 1).orElse(false);
                if (!input.isEmpty() && !region.contains(input) && !scalar) {
                    return Optional.empty();
                }
            }
        }
        if (down == null) {
            return Optional.empty();
        }
        NodeProto w2 = down;
        long width = graph.initializer(w2.getInput(1)).orElseThrow().getDims(1);
        Optional<String> b2 = biasAfter(graph, w2.getOutput(0), width);
        if (b2.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Unit(w2.getName(), Kind.FFN, (int) channels, 1, List.of(up.getInput(1)), List.of(b1),
                w2.getInput(1), b2.get(), w2.getInput(0), w2.getOutput(0), List.of()));
    }

    // ---- shared checks

    /** A 2-D float initializer read by {@code node} at {@code index} and by nothing else. */
    private static Optional<TensorProto> ownWeight(GraphEdit graph, NodeProto node, int index) {
        if (node.getInputCount() <= index) {
            return Optional.empty();
        }
        String name = node.getInput(index);
        return graph.initializer(name).filter(w -> isFloat(w) && w.getDimsCount() == 2)
                .filter(w -> graph.consumers(name).size() == 1);
    }

    /** The 1-D float bias of length {@code width} that the sole Add after {@code product} adds. */
    private static Optional<String> biasAfter(GraphEdit graph, String product, long width) {
        Optional<NodeProto> add = graph.soleConsumer(product).filter(n -> isDefault(n, "Add"));
        if (add.isEmpty() || graph.isGraphOutput(product)) {
            return Optional.empty();
        }
        String bias = add.get().getInput(0).equals(product) ? add.get().getInput(1) : add.get().getInput(0);
        return graph.initializer(bias).filter(b -> isFloat(b) && b.getDimsCount() == 1 && b.getDims(0) == width)
                .filter(b -> graph.consumers(bias).size() == 1).map(b -> bias);
    }

    /** The one reader of {@code tensor} of type {@code opType}, when every other reader is a Shape node. */
    private static Optional<NodeProto> onlyReader(GraphEdit graph, String tensor, String opType) {
        if (graph.isGraphOutput(tensor)) {
            return Optional.empty();
        }
        List<NodeProto> readers = graph.consumers(tensor);
        List<NodeProto> matching = readers.stream().filter(n -> isDefault(n, opType)).toList();
        boolean othersAreShapes = readers.stream().allMatch(n -> isDefault(n, opType) || isDefault(n, "Shape"));
        return matching.size() == 1 && othersAreShapes ? Optional.of(matching.get(0)) : Optional.empty();
    }

    private static boolean isDefault(NodeProto node, String opType) {
        return node.getDomain().isEmpty() && node.getOpType().equals(opType);
    }

    private static boolean isFloat(TensorProto tensor) {
        return DataType.of(tensor) == DataType.FLOAT;
    }
}
