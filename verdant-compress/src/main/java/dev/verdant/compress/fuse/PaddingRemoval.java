package dev.verdant.compress.fuse;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.verdant.compress.CompressionPass;
import dev.verdant.compress.GraphEdit;
import dev.verdant.compress.OpsetNodes;
import dev.verdant.compress.PassContext;
import dev.verdant.compress.PassOutput;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.Tensors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code unpad} recipe step: padding removal for a fused BERT-style encoder, as production BERT servers do it
 * (FasterTransformer's and TurboTransformers' "remove padding"). Per-token work (the Q/K/V, output and FFN
 * projections, GELU, layer norms, smoothing multiplications) runs only on the real tokens, gathered by the attention
 * mask into a {@code [1, tokens, hidden]} stream; only the attention core sees a batch again, scattered back to
 * {@code [batch, longest, ..]} where {@code longest} is the last real position of the batch plus one, so it also skips
 * the columns that are padding in every row:
 * <pre>
 *   coords = Transpose(NonZero(mask))                       (tokens, 2): (row, position) of every real token
 *   x      = GatherND(hidden, coords)                       (1, tokens, H) before the first attention
 *   Attention(x, W, b, mask)  →  qkv = MatMul(x, W) + b     (1, tokens, 3H), or DynamicQuantizeMatMul for QAttention
 *                                 q,k,v = Split(ScatterND(zeros(batch, longest, 3H), coords, qkv))
 *                                 GatherND(MultiHeadAttention(q, k, v, mask[:, :longest]), coords)
 *   output = ScatterND(zeros(batch, sequence, H), coords, x)  where a graph output or a position reader needs it
 * </pre>
 * <b>What it changes:</b> outputs at real (mask 1) positions are those of the model before (the same arithmetic on
 * fewer rows; int8 activation scales are then taken over real tokens only), and <b>outputs at padded positions
 * become 0</b> where the original model returned values computed from the pad token. Mean pooling over the mask
 * reads only real positions, so sentence embeddings keep their values. A reader of a single position (a pooler's
 * {@code Gather} of the first token) gets 0 for a row in which that position is padding. Any mask pattern works
 * (right or left padding, rows or batches without any real token).
 *
 * <p>The step works on any encoder fused by {@code fuse} or {@code int8-dynamic}: it follows the hidden state from
 * the first attention node through per-token ops and refuses, with one line naming what it met, a graph it cannot
 * rewrite (no fused attention, attention without a padding mask, attention nodes with different masks, a
 * position-mixing op on the token stream, an opset older than 11). It writes Unsqueeze, Squeeze, ReduceSum and Split
 * in the form of the model's own opset ({@link OpsetNodes}), so an opset-11 export stays opset 11.
 */
public final class PaddingRemoval implements CompressionPass {

    private static final Set<String> UNARY = Set.of("Relu", "Tanh", "Sigmoid", "Erf", "Sqrt", "Gelu", "Cast",
            "Identity", "Neg", "Abs", "Exp", "Log", "Reciprocal", "LeakyRelu", "Elu", "Softplus", "HardSigmoid",
            "FastGelu", "BiasGelu", "QuickGelu");
    private static final Set<String> BINARY = Set.of("Add", "Sub", "Mul", "Div", "Pow", "Max", "Min");
    private static final Set<String> LAYER_NORMS = Set.of("LayerNormalization", "SkipLayerNormalization",
            "SimplifiedLayerNormalization", "SkipSimplifiedLayerNormalization");
    private static final Set<String> ATTENTION = Set.of("Attention", "QAttention");
    /** GatherND, ScatterND and Range, which the rewrite is made of, exist from opset 11. */
    private static final long MIN_OPSET = 11;

    @Override
    public String name() {
        return "unpad";
    }

    /** The rewrite of the model last validated, kept so that applying to that same model does not run it again. */
    private Rewritten validated;

    /** A model and what the rewrite made of it. */
    private record Rewritten(ModelProto input, PassOutput output) {
    }

    @Override
    public void validate(OnnxGraph graph) {
        // the rewrite itself checks everything before it changes anything, so validating is rewriting a copy
        validated = new Rewritten(graph.model(), rewrite(graph.model()));
    }

    @Override
    public PassOutput apply(ModelProto model, PassContext context) {
        Rewritten last = validated;
        return last != null && last.input() == model ? last.output() : rewrite(model);
    }

    private static PassOutput rewrite(ModelProto model) {
        GraphEdit graph = new GraphEdit(model);
        Map<String, Object> facts = new Rewrite(graph).run();
        return new PassOutput(graph.build(), facts);
    }

    /** One rewrite of one graph: the plan is checked in full before the first edit. */
    private static final class Rewrite {
        private final GraphEdit graph;
        private final OpsetNodes opsetNodes;
        private final Map<String, String> packed = new HashMap<>();
        private final Set<String> unpackNeeded = new LinkedHashSet<>();
        private final List<NodeProto> removed = new ArrayList<>();
        private final List<NodeProto> added = new ArrayList<>();
        private String mask;
        private String coords;
        private String longest;
        private String trimmedMask;
        private String batchDim;
        private String sequenceDim;

        Rewrite(GraphEdit graph) {
            this.graph = graph;
            this.opsetNodes = new OpsetNodes(graph);
        }

        Map<String, Object> run() {
            if (graph.opset() < MIN_OPSET) {
                throw refusal("needs ONNX opset " + MIN_OPSET + " or newer (GatherND, ScatterND, Range), the model "
                        + "has " + graph.opset());
            }
            List<NodeProto> order = graph.nodes();
            List<NodeProto> attentions = order.stream().filter(Rewrite::isAttention).toList();
            if (attentions.isEmpty()) {
                throw refusal("needs a fused encoder (com.microsoft Attention or QAttention with a padding mask) and "
                        + "found none; run fuse or int8-dynamic first");
            }
            mask = commonMask(attentions);
            String hidden = streamStart(hiddenInput(attentions.get(0)));
            buildIndices(hidden);
            String stream = graph.uniqueName(hidden + "_unpadded");
            add("GatherND", List.of(hidden, coords), List.of(stream));
            packed.put(hidden, stream);
            int attentionCount = 0;
            int perToken = 0;
            int start = order.indexOf(graph.producer(hidden).orElse(null)) + 1;
            for (NodeProto node : order.subList(start, order.size())) {
                List<String> packedInputs = node.getInputList().stream().filter(packed::containsKey).toList();
                if (isAttention(node) && packed.containsKey(hiddenInput(node))) {
                    rewriteAttention(node);
                    attentionCount++;
                } else if (packedInputs.isEmpty()) {
                    continue;
                } else if (node.getOpType().equals("DynamicQuantizeLinear") && feedsOnlyQAttention(node)) {
                    removed.add(node); // QAttention is rewritten from the float input this node quantizes
                } else if (isPerToken(node)) {
                    rewritePerToken(node);
                    perToken++;
                } else if (readsPositions(node)) {
                    unpackNeeded.addAll(packedInputs);
                } else {
                    throw refusal("cannot run " + describe(node) + " on the unpadded token stream (it reads "
                            + packedInputs.get(0) + "); only per-token ops, fused attention, graph outputs and "
                            + "Gather along the sequence axis are supported");
                }
            }
            if (attentionCount != attentions.size()) {
                throw refusal("attention node " + attentions.stream().filter(a -> !removed.contains(a)).findFirst()
                        .map(NodeProto::getName).orElse("?") + " is not on the hidden-state path of the first one");
            }
            for (ValueInfoProto output : graph.original().getGraph().getOutputList()) {
                if (packed.containsKey(output.getName())) {
                    unpackNeeded.add(output.getName());
                }
            }
            if (unpackNeeded.isEmpty()) {
                throw refusal("no graph output reads the encoder's hidden state");
            }
            for (String tensor : unpackNeeded) {
                unpack(tensor);
            }
            graph.removeNodes(removed);
            added.forEach(graph::addNode);
            graph.requireOpset(GraphEdit.MICROSOFT_DOMAIN, 1);
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put("mask", mask);
            facts.put("attention", attentionCount + " x MultiHeadAttention over the longest real sequence");
            facts.put("perTokenOps", perToken);
            facts.put("restored", List.copyOf(unpackNeeded));
            facts.put("paddedPositions", "0 (padding removed: outputs at mask-0 positions are zero)");
            return facts;
        }

        private static boolean isAttention(NodeProto node) {
            return node.getDomain().equals(GraphEdit.MICROSOFT_DOMAIN) && ATTENTION.contains(node.getOpType());
        }

        private static int maskIndex(NodeProto attention) {
            return attention.getOpType().equals("QAttention") ? 5 : 3;
        }

        /** The one rank-2 graph input every attention node masks with (through Casts). */
        private String commonMask(List<NodeProto> attentions) {
            String common = null;
            for (NodeProto attention : attentions) {
                checkAttention(attention);
                int index = maskIndex(attention);
                String tensor = index < attention.getInputCount() ? attention.getInput(index) : "";
                if (tensor.isEmpty()) {
                    throw refusal("attention node " + attention.getName() + " has no padding mask, so there is no "
                            + "padding to remove");
                }
                while (graph.producer(tensor).filter(p -> p.getOpType().equals("Cast")).isPresent()) {
                    tensor = graph.producer(tensor).orElseThrow().getInput(0);
                }
                String input = tensor;
                boolean rank2 = graph.graphInput(input).map(i -> i.getType().getTensorType().getShape()
                        .getDimCount() == 2).orElse(false);
                if (!rank2) {
                    throw refusal("the mask of attention node " + attention.getName() + " is not a 2-D (batch, "
                            + "sequence) graph input");
                }
                if (common != null && !common.equals(input)) {
                    throw refusal("attention nodes use different masks (" + common + ", " + input + ")");
                }
                common = input;
            }
            return common;
        }

        private void checkAttention(NodeProto attention) {
            boolean quantized = attention.getOpType().equals("QAttention");
            int maxInputs = quantized ? 8 : 4;
            for (int i = maxInputs; i < attention.getInputCount(); i++) {
                if (!attention.getInput(i).isEmpty()) {
                    throw refusal("attention node " + attention.getName() + " has a past state or attention bias "
                            + "(input " + i + ")");
                }
            }
            if (Attributes.getInt(attention, "unidirectional", 0) != 0
                    || Attributes.has(attention, "qkv_hidden_sizes")) {
                throw refusal("attention node " + attention.getName() + " is causal or has uneven Q/K/V sizes");
            }
            Optional<TensorProto> weight = graph.constant(attention.getInput(1)).filter(w -> w.getDimsCount() == 2
                    && w.getDims(1) % 3 == 0);
            if (weight.isEmpty() || graph.constant(attention.getInput(2)).isEmpty()) {
                throw refusal("attention node " + attention.getName() + " has no constant packed Q/K/V weight and "
                        + "bias");
            }
            if (quantized && graph.producer(attention.getInput(0))
                    .filter(p -> p.getOpType().equals("DynamicQuantizeLinear")).isEmpty()) {
                throw refusal("QAttention node " + attention.getName() + " does not quantize its input at run time "
                        + "(DynamicQuantizeLinear)");
            }
        }

        /** The float hidden state an attention node reads (through its run-time quantization for QAttention). */
        private String hiddenInput(NodeProto attention) {
            if (attention.getOpType().equals("QAttention")) {
                return graph.producer(attention.getInput(0)).orElseThrow().getInput(0);
            }
            return attention.getInput(0);
        }

        private boolean feedsOnlyQAttention(NodeProto quantize) {
            return graph.consumers(quantize.getOutput(0)).stream()
                    .allMatch(c -> c.getOpType().equals("QAttention") && isAttention(c))
                    && !graph.isGraphOutput(quantize.getOutput(0));
        }

        /**
         * coords (1, tokens, 2); the batch and sequence sizes; the longest real length in the batch and the mask
         * trimmed to it, as int32 for MultiHeadAttention.
         */
        private void buildIndices(String hidden) {
            String nonZero = tensor("real_positions");
            add("NonZero", List.of(mask), List.of(nonZero));
            String pairs = tensor("real_coords");
            add("Transpose", List.of(nonZero), List.of(pairs), Attributes.ofInts("perm", 1, 0));
            coords = tensor("real_coords_3d");
            added.add(opsetNodes.unsqueeze(pairs, coords, 0));
            String shape = tensor("mask_shape");
            add("Shape", List.of(mask), List.of(shape));
            batchDim = tensor("batch_dim");
            add("Slice", List.of(shape, constantLongs("zero", 0), constantLongs("one", 1)), List.of(batchDim));
            sequenceDim = tensor("sequence_dim");
            add("Slice", List.of(shape, constantLongs("one", 1), constantLongs("two", 2)), List.of(sequenceDim));
            // the last position any row uses: argmax of sign(column count) * (position + 1); 1 for an all-pad batch
            String maskFloat = tensor("mask_float");
            add("Cast", List.of(mask), List.of(maskFloat), Attributes.ofInt("to", DataType.FLOAT.code()));
            String columnCounts = tensor("column_counts");
            added.add(opsetNodes.reduceSum(maskFloat, columnCounts, false, 0));
            String used = tensor("column_used");
            add("Sign", List.of(columnCounts), List.of(used));
            String sequenceScalar = tensor("sequence_scalar");
            added.add(opsetNodes.squeeze(sequenceDim, sequenceScalar, 0));
            String sequenceFloat = tensor("sequence_float");
            add("Cast", List.of(sequenceScalar), List.of(sequenceFloat), Attributes.ofInt("to", DataType.FLOAT.code()));
            String oneFloat = constantScalarFloat("one_float", 1f);
            String end = tensor("position_end");
            add("Add", List.of(sequenceFloat, oneFloat), List.of(end));
            String positions = tensor("positions_from_one");
            add("Range", List.of(oneFloat, end, oneFloat), List.of(positions));
            String lastUsed = tensor("last_used_position");
            add("Mul", List.of(used, positions), List.of(lastUsed));
            String lastIndex = tensor("last_used_index");
            add("ArgMax", List.of(lastUsed), List.of(lastIndex), Attributes.ofInt("axis", 0),
                    Attributes.ofInt("keepdims", 1));
            longest = tensor("longest_real_length");
            add("Add", List.of(lastIndex, constantLongs("one", 1)), List.of(longest));
            String trimmed = tensor("mask_trimmed");
            add("Slice", List.of(mask, constantLongs("zero", 0), longest, constantLongs("one", 1)), List.of(trimmed));
            trimmedMask = tensor("mask_trimmed_int32");
            add("Cast", List.of(trimmed), List.of(trimmedMask), Attributes.ofInt("to", DataType.INT32.code()));
        }

        /** The hidden state at every (row, position), zero where the mask is 0, under its original name. */
        private void unpack(String tensor) {
            String source = packed.get(tensor);
            add("ScatterND", List.of(zeros(source, sequenceDim, null), coords, source), List.of(tensor));
        }

        /** zeros (batch, positions, trailing dims of {@code like}, or {@code lastDim}). */
        private String zeros(String like, String positions, Long lastDim) {
            String trailing;
            if (lastDim != null) {
                trailing = constantLongs("width_" + lastDim, lastDim);
            } else {
                String likeShape = tensor(like + "_shape");
                add("Shape", List.of(like), List.of(likeShape));
                trailing = tensor(like + "_trailing_dims");
                add("Slice", List.of(likeShape, constantLongs("two", 2), constantLongs("max", Long.MAX_VALUE)),
                        List.of(trailing));
            }
            String shape = tensor("zeros_shape");
            add("Concat", List.of(batchDim, positions, trailing), List.of(shape), Attributes.ofInt("axis", 0));
            String zeros = tensor("zeros");
            add("ConstantOfShape", List.of(shape), List.of(zeros));
            return zeros;
        }

        private void rewriteAttention(NodeProto attention) {
            boolean quantized = attention.getOpType().equals("QAttention");
            String x = packed.get(hiddenInput(attention));
            TensorProto weight = graph.constant(attention.getInput(1)).orElseThrow();
            long width = weight.getDims(1);
            String qkv = tensor(attention.getOutput(0) + "_qkv");
            if (quantized) {
                String weightZero = attention.getInputCount() > 7 ? attention.getInput(7) : "";
                add("DynamicQuantizeMatMul", GraphEdit.MICROSOFT_DOMAIN, List.of(x, attention.getInput(1),
                        attention.getInput(4), weightZero, attention.getInput(2)), List.of(qkv));
            } else {
                String product = tensor(attention.getOutput(0) + "_qkv_nobias");
                add("MatMul", List.of(x, attention.getInput(1)), List.of(product));
                add("Add", List.of(product, attention.getInput(2)), List.of(qkv));
            }
            String batched = tensor(attention.getOutput(0) + "_qkv_batched");
            add("ScatterND", List.of(zeros(qkv, longest, width), coords, qkv), List.of(batched));
            List<String> parts = List.of(tensor(attention.getOutput(0) + "_q"), tensor(attention.getOutput(0) + "_k"),
                    tensor(attention.getOutput(0) + "_v"));
            added.add(opsetNodes.splitEqually(batched, parts, 2));
            List<AttributeProto> attributes = new ArrayList<>();
            attributes.add(Attributes.ofInt("num_heads", Attributes.getInt(attention, "num_heads", 0)));
            Attributes.find(attention, "scale").ifPresent(attributes::add);
            Attributes.find(attention, "mask_filter_value").ifPresent(attributes::add);
            String context = tensor(attention.getOutput(0) + "_batched");
            add("MultiHeadAttention", GraphEdit.MICROSOFT_DOMAIN, List.of(parts.get(0), parts.get(1), parts.get(2), "",
                    trimmedMask), List.of(context), attributes.toArray(AttributeProto[]::new));
            String output = tensor(attention.getOutput(0) + "_unpadded");
            add("GatherND", List.of(context, coords), List.of(output));
            packed.put(attention.getOutput(0), output);
            removed.add(attention);
        }

        /**
         * Where the token stream starts: back from the first attention's input through per-token ops of one
         * non-constant input (its smoothing, the embedding layer norm), so those run on real tokens only too.
         */
        private String streamStart(String tensor) {
            String start = tensor;
            Optional<NodeProto> producer = graph.producer(start);
            while (producer.isPresent()) {
                NodeProto node = producer.get();
                List<String> streamInputs = node.getInputList().stream()
                        .filter(i -> !i.isEmpty() && graph.constant(i).isEmpty()).toList();
                if (streamInputs.size() != 1 || node.getOutputCount() != 1
                        || !isPerToken(node, streamInputs::contains)) {
                    break;
                }
                start = streamInputs.get(0);
                producer = graph.producer(start);
            }
            return start;
        }

        private boolean isPerToken(NodeProto node) {
            return isPerToken(node, packed::containsKey);
        }

        /**
         * An op that computes each token from that token alone: the same on the unpadded stream. Its other inputs
         * must be constants that broadcast over tokens (every dim but the last 1), or tokens of the stream.
         */
        private boolean isPerToken(NodeProto node, java.util.function.Predicate<String> onStream) {
            String op = node.getOpType();
            boolean ms = node.getDomain().equals(GraphEdit.MICROSOFT_DOMAIN);
            boolean known = node.getDomain().isEmpty() && (UNARY.contains(op) || BINARY.contains(op)
                    || op.equals("MatMul") || op.equals("LayerNormalization"))
                    || ms && (UNARY.contains(op) || LAYER_NORMS.contains(op) || op.equals("DynamicQuantizeMatMul"));
            if (!known) {
                return false;
            }
            if (op.equals("LayerNormalization") && Attributes.getInt(node, "axis", -1) != -1) {
                return false;
            }
            boolean weightOp = op.equals("MatMul") || op.equals("DynamicQuantizeMatMul");
            for (int i = 0; i < node.getInputCount(); i++) {
                String input = node.getInput(i);
                if (input.isEmpty() || onStream.test(input)) {
                    if (weightOp && i == 1 && onStream.test(input)) {
                        return false; // token-by-token products mix positions
                    }
                    continue;
                }
                if (weightOp && i == 0) {
                    return false;
                }
                Optional<TensorProto> constant = graph.constant(input);
                if (constant.isEmpty() || !(weightOp && i == 1) && !broadcastsOverTokens(constant.get())) {
                    return false;
                }
            }
            return true;
        }

        private static boolean broadcastsOverTokens(TensorProto constant) {
            for (int d = 0; d < constant.getDimsCount() - 1; d++) {
                if (constant.getDims(d) != 1) {
                    return false;
                }
            }
            return true;
        }

        private void rewritePerToken(NodeProto node) {
            NodeProto.Builder rewritten = node.toBuilder();
            for (int i = 0; i < node.getInputCount(); i++) {
                String input = node.getInput(i);
                if (packed.containsKey(input)) {
                    rewritten.setInput(i, packed.get(input));
                }
            }
            for (int i = 0; i < node.getOutputCount(); i++) {
                String output = node.getOutput(i);
                if (!output.isEmpty()) {
                    String name = tensor(output + "_unpadded");
                    rewritten.setOutput(i, name);
                    packed.put(output, name);
                }
            }
            rewritten.setName(graph.uniqueName(node.getName() + "_unpadded"));
            removed.add(node);
            added.add(rewritten.build());
        }

        /** A reader of whole positions that gets the restored (zero-padded) tensor: shapes and position gathers. */
        private boolean readsPositions(NodeProto node) {
            if (!node.getDomain().isEmpty()) {
                return false;
            }
            return node.getOpType().equals("Shape")
                    || node.getOpType().equals("Gather") && Attributes.getInt(node, "axis", 0) == 1
                    && graph.constant(node.getInput(1)).isPresent();
        }

        private String tensor(String base) {
            return graph.uniqueName(base.startsWith("/") || base.contains("/") ? base : "unpad/" + base);
        }

        private final Map<String, String> constants = new HashMap<>();

        private String constantLongs(String key, long... values) {
            return constants.computeIfAbsent("i64:" + key, k -> {
                String name = graph.uniqueName("unpad/" + key);
                graph.putInitializer(Tensors.ofLongs(name, new long[] {values.length}, values));
                return name;
            });
        }

        private String constantScalarFloat(String key, float value) {
            return constants.computeIfAbsent("f32:" + key, k -> {
                String name = graph.uniqueName("unpad/" + key);
                graph.putInitializer(Tensors.ofFloats(name, new long[0], new float[] {value}));
                return name;
            });
        }

        private void add(String op, List<String> inputs, List<String> outputs, AttributeProto... attributes) {
            add(op, OnnxGraph.DEFAULT_DOMAIN, inputs, outputs, attributes);
        }

        private void add(String op, String domain, List<String> inputs, List<String> outputs,
                AttributeProto... attributes) {
            added.add(graph.node(op, domain, inputs, outputs, attributes));
        }

        private static String describe(NodeProto node) {
            return (node.getDomain().isEmpty() ? "" : node.getDomain() + ".") + node.getOpType() + " node '"
                    + node.getName() + "'";
        }

        private static IllegalArgumentException refusal(String why) {
            return new IllegalArgumentException("unpad " + why);
        }
    }
}
