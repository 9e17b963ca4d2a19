package dev.verdant.compress.fuse;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.verdant.compress.GraphEdit;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.Tensors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * BERT self-attention as exported from PyTorch becomes one {@code com.microsoft.Attention} with packed Q/K/V
 * weights:
 * <pre>
 *   q,k,v = Add(MatMul(x, Wq|Wk|Wv), bq|bk|bv) → Reshape(.., [B, S, N, H]) → Transpose (k to (0,2,3,1))
 *   p     = Softmax(Add(Div(MatMul(q, k), sqrt(H)), maskTerm))      maskTerm = (1 - mask[:, None, None, :]) * -big
 *   out   = Reshape(Transpose(MatMul(p, v), (0,2,1,3)), [B, S, N*H])
 * </pre>
 * The head count comes from the reshape constants and is checked against the weight shapes; the raw 0/1 mask graph
 * input is found by walking the mask term back through its Unsqueeze/Cast/Sub/Mul chain. Only the final Reshape is
 * replaced; the rest of the subgraph goes when nothing else reads it, so a match can never orphan another reader.
 */
final class AttentionFusion {

    private static final long[] HEADS_FIRST = {0, 2, 1, 3};
    private static final long[] KEY_TRANSPOSED = {0, 2, 3, 1};

    private AttentionFusion() {
    }

    /** Fuses the pattern at one anchor node, as {@link Fusion.Match} says. */
    static boolean fuseAt(GraphEdit graph, NodeProto softmax) {
        if (softmax.getDomain().length() > 0 || Attributes.getInt(softmax, "axis", -1) != -1
                && Attributes.getInt(softmax, "axis", -1) != 3) {
            return false;
        }
        // scores, with or without the additive mask
        String maskInput = null;
        NodeProto scaled;
        Optional<NodeProto> maskAdd = graph.producer(softmax, 0, "Add");
        if (maskAdd.isPresent()) {
            NodeProto add = maskAdd.get();
            int scoresIndex = isScaledScores(graph, add.getInput(0)) ? 0 : isScaledScores(graph, add.getInput(1)) ? 1
                    : -1;
            if (scoresIndex < 0) {
                return false;
            }
            Optional<String> mask = rawMask(graph, add.getInput(1 - scoresIndex));
            if (mask.isEmpty()) {
                return false;
            }
            maskInput = mask.get();
            scaled = graph.producer(add.getInput(scoresIndex)).orElseThrow();
        } else if (isScaledScores(graph, softmax.getInput(0))) {
            scaled = graph.producer(softmax.getInput(0)).orElseThrow();
        } else {
            return false;
        }
        float factor = graph.constantScalar(scaled.getInput(1)).orElseThrow();
        float scale = scaled.getOpType().equals("Div") ? 1 / factor : factor;
        NodeProto scores = graph.producer(scaled, 0, "MatMul").orElseThrow();

        Optional<Projection> query = Projection.of(graph, scores.getInput(0), HEADS_FIRST);
        Optional<Projection> key = Projection.of(graph, scores.getInput(1), KEY_TRANSPOSED);
        Optional<NodeProto> context = graph.soleConsumer(softmax.getOutput(0))
                .filter(n -> n.getOpType().equals("MatMul") && n.getInput(0).equals(softmax.getOutput(0)));
        Optional<Projection> value = context.flatMap(c -> Projection.of(graph, c.getInput(1), HEADS_FIRST));
        if (query.isEmpty() || key.isEmpty() || value.isEmpty()) {
            return false;
        }
        Projection q = query.get();
        Projection k = key.get();
        Projection v = value.get();
        if (!q.input().equals(k.input()) || !q.input().equals(v.input()) || q.heads() != k.heads()
                || q.heads() != v.heads() || q.headSize() != k.headSize() || q.headSize() != v.headSize()
                || q.rows() != k.rows() || q.rows() != v.rows()) {
            return false;
        }
        long hidden = q.heads() * q.headSize();
        Optional<NodeProto> merge = graph.soleConsumer(context.get().getOutput(0))
                .filter(n -> isTranspose(n, HEADS_FIRST));
        // besides the Reshape, only Shape nodes (computing that Reshape's target) may read the merged heads
        Optional<NodeProto> output = merge.flatMap(m -> mergeReshape(graph, m.getOutput(0)));
        Optional<long[]> outputDims = output.flatMap(r -> trailingDims(graph, r.getInput(1), 1, 3));
        if (outputDims.isEmpty() || outputDims.get()[0] != hidden) {
            return false;
        }

        String name = output.get().getOutput(0);
        String weights = graph.uniqueName(name + "_qkv_weight");
        String bias = graph.uniqueName(name + "_qkv_bias");
        graph.putInitializer(packColumns(weights, q.rows(), hidden, q.weight(), k.weight(), v.weight()));
        graph.putInitializer(Tensors.ofFloats(bias, new long[] {3 * hidden}, concat(q.bias(), k.bias(), v.bias())));
        List<String> inputs = new ArrayList<>(List.of(q.input(), weights, bias));
        if (maskInput != null) {
            inputs.add(graph.castOf(maskInput, DataType.INT32));
        }
        List<AttributeProto> attributes = new ArrayList<>(List.of(Attributes.ofInt("num_heads", q.heads())));
        if (Math.abs(scale * Math.sqrt(q.headSize()) - 1) > 1e-6) {
            attributes.add(Attributes.ofFloat("scale", scale));
        }
        graph.removeNodes(List.of(output.get()));
        graph.addNode(graph.node("Attention", GraphEdit.MICROSOFT_DOMAIN, inputs, List.of(name),
                attributes.toArray(AttributeProto[]::new)));
        graph.requireOpset(GraphEdit.MICROSOFT_DOMAIN, 1);
        return true;
    }

    private static Optional<NodeProto> mergeReshape(GraphEdit graph, String merged) {
        List<NodeProto> readers = graph.consumers(merged);
        List<NodeProto> reshapes = readers.stream().filter(n -> n.getOpType().equals("Reshape")
                && n.getInput(0).equals(merged)).toList();
        boolean othersAreShapes = readers.stream().allMatch(n -> n.getOpType().equals("Reshape")
                || n.getOpType().equals("Shape"));
        return reshapes.size() == 1 && othersAreShapes && !graph.isGraphOutput(merged)
                ? Optional.of(reshapes.get(0)) : Optional.empty();
    }

    /** Div(MatMul, c) or Mul(MatMul, c) with a constant scalar c, read only by what follows. */
    private static boolean isScaledScores(GraphEdit graph, String tensor) {
        return graph.producer(tensor)
                .filter(n -> n.getOpType().equals("Div") || n.getOpType().equals("Mul"))
                .filter(n -> graph.constantScalar(n.getInput(1)).map(c -> c != 0 && Float.isFinite(c)).orElse(false))
                .filter(n -> graph.producer(n, 0, "MatMul").isPresent())
                .isPresent();
    }

    /**
     * The 2-D 0/1 mask graph input behind an additive mask term {@code (1 - Cast(Unsqueeze(mask, 1, 2))) * -big}.
     */
    static Optional<String> rawMask(GraphEdit graph, String maskTerm) {
        Optional<NodeProto> multiply = graph.producer(maskTerm).filter(n -> n.getOpType().equals("Mul"));
        if (multiply.isEmpty()) {
            return Optional.empty();
        }
        int constantIndex = graph.constantInputIndex(multiply.get());
        if (constantIndex < 0 || graph.constantScalar(multiply.get().getInput(constantIndex))
                .map(c -> c > -1e4f).orElse(true)) {
            return Optional.empty();
        }
        Optional<NodeProto> invert = graph.producer(multiply.get(), 1 - constantIndex, "Sub")
                .filter(n -> graph.constantScalar(n.getInput(0)).map(c -> c == 1f).orElse(false));
        if (invert.isEmpty()) {
            return Optional.empty();
        }
        Set<Long> axes = new HashSet<>();
        String tensor = invert.get().getInput(1);
        while (graph.producer(tensor).isPresent()) {
            NodeProto step = graph.producer(tensor).get();
            if (step.getOpType().equals("Unsqueeze")) {
                long[] stepAxes = Attributes.getInts(step, "axes", null);
                if (stepAxes == null && step.getInputCount() > 1) {
                    stepAxes = graph.constant(step.getInput(1)).map(Tensors::toLongs).orElse(null);
                }
                if (stepAxes == null) {
                    return Optional.empty();
                }
                for (long axis : stepAxes) {
                    axes.add(axis);
                }
            } else if (!step.getOpType().equals("Cast")) {
                return Optional.empty();
            }
            tensor = step.getInput(0);
        }
        boolean isRank2Input = graph.graphInput(tensor)
                .map(i -> i.getType().getTensorType().getShape().getDimCount() == 2).orElse(false);
        return isRank2Input && axes.equals(Set.of(1L, 2L)) ? Optional.of(tensor) : Optional.empty();
    }

    static boolean isTranspose(NodeProto node, long[] perm) {
        return node.getOpType().equals("Transpose")
                && java.util.Arrays.equals(Attributes.getInts(node, "perm", null), perm);
    }

    /**
     * The last {@code count} entries of a Reshape's target shape when they are constants, for a shape of
     * {@code rank} entries: a constant tensor, or a Concat whose trailing inputs are constants.
     */
    static Optional<long[]> trailingDims(GraphEdit graph, String shape, int count, int rank) {
        Optional<TensorProto> constant = graph.constant(shape);
        if (constant.isPresent()) {
            long[] dims = Tensors.toLongs(constant.get());
            return dims.length == rank ? Optional.of(java.util.Arrays.copyOfRange(dims, rank - count, rank))
                    : Optional.empty();
        }
        Optional<NodeProto> concat = graph.producer(shape).filter(n -> n.getOpType().equals("Concat"));
        if (concat.isEmpty() || concat.get().getInputCount() != rank) {
            return Optional.empty();
        }
        long[] dims = new long[count];
        for (int i = 0; i < count; i++) {
            Optional<long[]> part = graph.constant(concat.get().getInput(rank - count + i)).map(Tensors::toLongs)
                    .filter(v -> v.length == 1);
            if (part.isEmpty()) {
                return Optional.empty();
            }
            dims[i] = part.get()[0];
        }
        return Optional.of(dims);
    }

    private static TensorProto packColumns(String name, long rows, long hidden, float[]... parts) {
        int r = Math.toIntExact(rows);
        int h = Math.toIntExact(hidden);
        float[] packed = new float[r * 3 * h];
        for (int row = 0; row < r; row++) {
            for (int p = 0; p < parts.length; p++) {
                System.arraycopy(parts[p], row * h, packed, row * 3 * h + p * h, h);
            }
        }
        return Tensors.ofFloats(name, new long[] {rows, 3 * hidden}, packed);
    }

    private static float[] concat(float[]... parts) {
        int length = 0;
        for (float[] part : parts) {
            length += part.length;
        }
        float[] all = new float[length];
        int offset = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, all, offset, part.length);
            offset += part.length;
        }
        return all;
    }

    /**
     * One of the Q, K, V branches: {@code Transpose(Reshape(Add(MatMul(input, W), b), [.., .., heads, headSize]))}.
     */
    private record Projection(String input, float[] weight, float[] bias, long rows, long heads, long headSize) {

        static Optional<Projection> of(GraphEdit graph, String transposed, long[] perm) {
            Optional<NodeProto> transpose = graph.producer(transposed).filter(n -> isTranspose(n, perm));
            Optional<NodeProto> reshape = transpose.flatMap(t -> graph.producer(t, 0, "Reshape"));
            if (reshape.isEmpty()) {
                return Optional.empty();
            }
            Optional<long[]> split = trailingDims(graph, reshape.get().getInput(1), 2, 4);
            Optional<NodeProto> add = graph.producer(reshape.get(), 0, "Add");
            if (split.isEmpty() || add.isEmpty() || split.get()[0] <= 0 || split.get()[1] <= 0) {
                return Optional.empty();
            }
            for (int biasIndex = 0; biasIndex < 2; biasIndex++) {
                Optional<NodeProto> matmul = graph.producer(add.get(), 1 - biasIndex, "MatMul");
                Optional<TensorProto> bias = graph.constant(add.get().getInput(biasIndex));
                Optional<TensorProto> weight = matmul.flatMap(m -> graph.constant(m.getInput(1)));
                long hidden = split.get()[0] * split.get()[1];
                if (matmul.isPresent() && bias.isPresent() && weight.isPresent()
                        && DataType.of(weight.get()) == DataType.FLOAT && DataType.of(bias.get()) == DataType.FLOAT
                        && weight.get().getDimsCount() == 2 && weight.get().getDims(1) == hidden
                        && bias.get().getDimsCount() == 1 && bias.get().getDims(0) == hidden) {
                    return Optional.of(new Projection(matmul.get().getInput(0), Tensors.toFloats(weight.get()),
                            Tensors.toFloats(bias.get()), weight.get().getDims(0), split.get()[0], split.get()[1]));
                }
            }
            return Optional.empty();
        }
    }
}
