package dev.verdant.compress.quantize;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.verdant.compress.CompressionPass;
import dev.verdant.compress.GraphEdit;
import dev.verdant.compress.OpsetNodes;
import dev.verdant.compress.PassContext;
import dev.verdant.compress.PassOutput;
import dev.verdant.compress.fuse.TransformerFusionPass;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.Tensors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The {@code int8-dynamic} recipe step: weights stored as symmetric int8 (per output channel by default), activations
 * quantized to uint8 at run time by the fused kernels ONNX Runtime runs fastest on x86 CPUs:
 * {@code com.microsoft.DynamicQuantizeMatMul} for MatMul and Gemm (bias folded in), {@code com.microsoft.QAttention}
 * for fused attention, and int8 embedding tables (every 2-D float table of at least {@value #MIN_TABLE_ELEMENTS}
 * elements a Gather reads: BERT's word and position tables; its 2-row token-type table stays float) through {@code Gather} then {@code DequantizeLinear}, one
 * scale per column from opset 13 and one per table before, the model's opset kept.
 * A transformer encoder is fused first (its embedding block left unfused so its tables can be stored in int8), so
 * the one obvious recipe is the good one; its GELUs then run as the tanh-approximated {@code FastGelu}, and outlier
 * activation channels found on calibration data are scaled into the weights ({@link OutlierSmoothing}).
 */
public final class DynamicQuantizationPass implements CompressionPass, CompressionPass.PerNode {

    /** Embedding tables smaller than this stay float: their bytes do not matter and they cost a node each. */
    static final long MIN_TABLE_ELEMENTS = 4096;
    /** What an embedding lookup becomes, as the facts count it. */
    private static final String TABLE_FORM = "Gather+DequantizeLinear";

    private final boolean perChannel;
    private final Predicate<NodeProto> keepFloat;
    private final boolean fuseFirst;
    private final boolean smoothOutliers;

    /** Per-channel weights, nothing kept in float, transformer fusion first. */
    public DynamicQuantizationPass() {
        this(true, NodeSelector.none()::matches, true);
    }

    /**
     * @param perChannel one weight scale per output channel (else one per tensor)
     * @param keepFloat  nodes (after fusion) that stay in float
     * @param fuseFirst  whether to run the transformer fusions first
     */
    public DynamicQuantizationPass(boolean perChannel, Predicate<NodeProto> keepFloat, boolean fuseFirst) {
        this(perChannel, keepFloat, fuseFirst, true);
    }

    /**
     * @param smoothOutliers whether to scale outlier activation channels into the weights first (needs calibration
     *                       data in the context; without it nothing is smoothed)
     */
    public DynamicQuantizationPass(boolean perChannel, Predicate<NodeProto> keepFloat, boolean fuseFirst,
            boolean smoothOutliers) {
        this.perChannel = perChannel;
        this.keepFloat = keepFloat;
        this.fuseFirst = fuseFirst;
        this.smoothOutliers = smoothOutliers;
    }

    @Override
    public String name() {
        return "int8-dynamic";
    }

    @Override
    public void validate(OnnxGraph graph) {
        boolean anyWeights = graph.nodes().stream().anyMatch(n -> n.getOpType().equals("Attention")
                || (n.getOpType().equals("MatMul") || n.getOpType().equals("Gemm")) && n.getInputCount() > 1
                && isConstant(graph, n.getInput(1)));
        if (!anyWeights) {
            throw new IllegalArgumentException("int8-dynamic quantizes MatMul, Gemm and Attention weights, and the "
                    + "model has none (int8-static also quantizes convolutions)");
        }
    }

    static boolean isConstant(OnnxGraph graph, String tensor) {
        return graph.initializer(tensor).isPresent()
                || graph.producer(tensor).map(p -> p.getOpType().equals("Constant")).orElse(false);
    }

    @Override
    public PassOutput apply(ModelProto model, PassContext context) {
        Map<String, Object> facts = new LinkedHashMap<>();
        ModelProto prepared = prepare(model, facts);
        GraphEdit graph = new GraphEdit(prepared);
        List<String> activations = graph.nodes().stream()
                .filter(n -> (n.getOpType().equals("MatMul") || n.getOpType().equals("Gemm")
                        || n.getOpType().equals("Attention")) && quantizedForm(graph, n).isPresent()
                        && !keepFloat.test(n))
                .map(n -> n.getInput(0)).distinct().toList();
        OutlierSmoothing smoothing = smoothOutliers ? OutlierSmoothing.calibrate(prepared, activations,
                context.calibration(), context.session()) : OutlierSmoothing.none();
        Map<String, Integer> counts = new LinkedHashMap<>();
        List<String> keptFloat = new ArrayList<>();
        for (NodeProto node : graph.nodes()) {
            Optional<String> quantizedAs = quantizedForm(graph, node);
            if (quantizedAs.isEmpty()) {
                continue;
            }
            if (keepFloat.test(node)) {
                keptFloat.add(node.getName());
                continue;
            }
            switch (node.getOpType()) {
                case "MatMul", "Gemm" -> quantizeDense(graph, node, smoothing);
                case "Attention" -> quantizeAttention(graph, node, smoothing);
                default -> quantizeTable(graph, node);
            }
            counts.merge(quantizedAs.get(), 1, Integer::sum);
        }
        if (counts.isEmpty() && keptFloat.isEmpty()) {
            throw new IllegalArgumentException("int8-dynamic found no MatMul, Gemm or Attention with constant float "
                    + "weights to quantize");
        }
        int approximated = approximateGelu(graph);
        graph.requireOpset(GraphEdit.MICROSOFT_DOMAIN, 1);
        facts.put("quantized", counts);
        if (approximated > 0) {
            facts.put("gelu", approximated + " x FastGelu (tanh approximation)");
        }
        facts.put("keptFloat", keptFloat);
        facts.put("weights", perChannel ? "int8 symmetric per-channel" : "int8 symmetric per-tensor");
        if (counts.containsKey(TABLE_FORM)) {
            facts.put("embeddingTables", new OpsetNodes(graph).dequantizesPerAxis() ? "int8 symmetric per-column"
                    : "int8 symmetric per-column (Cast and Mul: DequantizeLinear has no axis before opset 13)");
        }
        facts.put("activations", "uint8 asymmetric, per tensor, at run time");
        facts.put("smoothedActivations", smoothing.count());
        return new PassOutput(graph.build(), facts);
    }

    /**
     * The erf GELUs become ONNX Runtime's tanh-approximated {@code FastGelu}: the two differ by under 5e-4 (absolute,
     * on unit-scale inputs), far below what int8 activations already cost, and FastGelu runs on vectorized tanh where
     * erf GELU is a fifth of the int8 encoder's time (MiniLM: 1.84x -> 2.09x, min cosine 0.99444 -> 0.99402).
     */
    private static int approximateGelu(GraphEdit graph) {
        int count = 0;
        for (NodeProto node : graph.nodes()) {
            if (node.getDomain().equals(GraphEdit.MICROSOFT_DOMAIN)
                    && (node.getOpType().equals("BiasGelu") || node.getOpType().equals("Gelu"))) {
                graph.replaceNode(node, node.toBuilder().setOpType("FastGelu").build());
                count++;
            }
        }
        return count;
    }

    @Override
    public Optional<PerNode> perNode() {
        return Optional.of(this);
    }

    @Override
    public CompressionPass keepingFloat(Predicate<NodeProto> keepFloat) {
        return new DynamicQuantizationPass(perChannel, keepFloat, fuseFirst, smoothOutliers);
    }

    /** The nodes this pass would quantize (after its fusion), as name and op type, for a sensitivity analysis. */
    @Override
    public List<Map.Entry<String, String>> quantizableNodes(ModelProto model) {
        GraphEdit graph = new GraphEdit(prepare(model, new LinkedHashMap<>()));
        return graph.nodes().stream().filter(n -> quantizedForm(graph, n).isPresent())
                .map(n -> Map.entry(n.getName(), n.getOpType())).toList();
    }

    private ModelProto prepare(ModelProto model, Map<String, Object> facts) {
        if (!fuseFirst) {
            return model;
        }
        PassOutput fused = new TransformerFusionPass(false).apply(model, PassContext.withoutData(0));
        facts.put("fused", fused.facts().get("fused"));
        return fused.model();
    }

    private static Optional<String> quantizedForm(GraphEdit graph, NodeProto node) {
        return switch (node.getOpType()) {
            case "MatMul", "Gemm" -> isDense(graph, node) ? Optional.of("DynamicQuantizeMatMul") : Optional.empty();
            case "Attention" -> isPackedAttention(graph, node) ? Optional.of("QAttention") : Optional.empty();
            case "Gather" -> isEmbeddingTable(graph, node) ? Optional.of(TABLE_FORM) : Optional.empty();
            default -> Optional.empty();
        };
    }

    /** MatMul(x, W) with a constant float 2-D W, or Gemm(x, B, C) with constant B and C and unit alpha/beta. */
    static boolean isDense(GraphEdit graph, NodeProto node) {
        if (!node.getDomain().isEmpty() || node.getInputCount() < 2 || graph.constant(node.getInput(0)).isPresent()) {
            return false;
        }
        Optional<TensorProto> weight = graph.constant(node.getInput(1))
                .filter(w -> DataType.of(w) == DataType.FLOAT && w.getDimsCount() == 2);
        if (weight.isEmpty()) {
            return false;
        }
        if (node.getOpType().equals("MatMul")) {
            return true;
        }
        long columns = weight.get().getDims(Attributes.getInt(node, "transB", 0) == 1 ? 0 : 1);
        boolean biasOk = node.getInputCount() < 3 || node.getInput(2).isEmpty() || graph.constant(node.getInput(2))
                .filter(b -> DataType.of(b) == DataType.FLOAT && Tensors.elementCount(b) == columns
                        && b.getDimsCount() <= 2).isPresent();
        return Attributes.getInt(node, "transA", 0) == 0 && Attributes.getFloat(node, "alpha", 1f) == 1f
                && Attributes.getFloat(node, "beta", 1f) == 1f && biasOk;
    }

    private void quantizeDense(GraphEdit graph, NodeProto node, OutlierSmoothing smoothing) {
        TensorProto weight = graph.constant(node.getInput(1)).orElseThrow();
        boolean transposed = node.getOpType().equals("Gemm") && Attributes.getInt(node, "transB", 0) == 1;
        int rows = Math.toIntExact(weight.getDims(transposed ? 1 : 0));
        int columns = Math.toIntExact(weight.getDims(transposed ? 0 : 1));
        float[] values = Tensors.toFloats(weight);
        if (transposed) {
            values = transpose(values, columns, rows);
        }
        String input = smoothing.apply(graph, node.getInput(0), values, rows, columns);
        Int8Weight weights = putInt8Weight(graph, node.getInput(1), values, rows, columns);
        String codes = weights.codes();
        String scales = weights.scales();
        List<NodeProto> replaced = new ArrayList<>(List.of(node));
        String output = node.getOutput(0);
        String bias = "";
        if (node.getOpType().equals("Gemm")) {
            bias = node.getInputCount() > 2 ? node.getInput(2) : "";
        } else {
            // fold a following bias Add into the kernel
            Optional<NodeProto> add = graph.soleConsumer(output).filter(a -> a.getOpType().equals("Add")
                    && a.getInputCount() == 2 && a.getDomain().isEmpty());
            if (add.isPresent()) {
                String other = add.get().getInput(0).equals(output) ? add.get().getInput(1) : add.get().getInput(0);
                boolean isBias = graph.constant(other).filter(b -> DataType.of(b) == DataType.FLOAT
                        && b.getDimsCount() == 1 && b.getDims(0) == columns).isPresent();
                if (isBias) {
                    bias = other;
                    output = add.get().getOutput(0);
                    replaced.add(add.get());
                }
            }
        }
        graph.removeNodes(replaced);
        graph.addNode(graph.node("DynamicQuantizeMatMul", GraphEdit.MICROSOFT_DOMAIN,
                bias.isEmpty() ? List.of(input, codes, scales) : List.of(input, codes, scales, "", bias),
                List.of(output)));
    }

    /** The initializer names of one quantized weight. */
    private record Int8Weight(String codes, String scales) {
    }

    /** Quantizes a {@code rows x columns} weight and stores its codes and scales. */
    private Int8Weight putInt8Weight(GraphEdit graph, String name, float[] values, int rows, int columns) {
        WeightQuantizer.Quantized quantized = WeightQuantizer.quantizeColumns(values, rows, columns, perChannel);
        String codes = graph.uniqueName(name + "_int8");
        String scales = graph.uniqueName(name + "_scale");
        graph.putInitializer(Tensors.ofBytes(codes, DataType.INT8, new long[] {rows, columns}, quantized.codes()));
        graph.putInitializer(Tensors.ofFloats(scales, perChannel ? new long[] {columns} : new long[0],
                quantized.scales()));
        return new Int8Weight(codes, scales);
    }

    static boolean isPackedAttention(GraphEdit graph, NodeProto node) {
        return node.getDomain().equals(GraphEdit.MICROSOFT_DOMAIN) && node.getInputCount() >= 3
                && node.getInputCount() <= 4 && node.getOutputCount() == 1
                && graph.constant(node.getInput(1)).filter(w -> DataType.of(w) == DataType.FLOAT
                        && w.getDimsCount() == 2).isPresent()
                && graph.constant(node.getInput(2)).isPresent();
    }

    private void quantizeAttention(GraphEdit graph, NodeProto node, OutlierSmoothing smoothing) {
        TensorProto weight = graph.constant(node.getInput(1)).orElseThrow();
        int rows = Math.toIntExact(weight.getDims(0));
        int columns = Math.toIntExact(weight.getDims(1));
        float[] values = Tensors.toFloats(weight);
        String x = smoothing.apply(graph, node.getInput(0), values, rows, columns);
        Int8Weight weights = putInt8Weight(graph, node.getInput(1), values, rows, columns);
        String codes = weights.codes();
        String scales = weights.scales();
        String xq = graph.uniqueName(x + "_uint8");
        String xScale = graph.uniqueName(x + "_scale");
        String xZero = graph.uniqueName(x + "_zero_point");
        graph.addNode(graph.node("DynamicQuantizeLinear", OnnxGraph.DEFAULT_DOMAIN, List.of(x),
                List.of(xq, xScale, xZero)));
        String mask = node.getInputCount() > 3 ? node.getInput(3) : "";
        graph.replaceNode(node, node.toBuilder().setOpType("QAttention").clearInput()
                .addAllInput(List.of(xq, codes, node.getInput(2), xScale, scales, mask, xZero)).build());
    }

    /** Gather(table, ids) along axis 0 from a large constant float 2-D table: an embedding lookup. */
    static boolean isEmbeddingTable(GraphEdit graph, NodeProto node) {
        return node.getDomain().isEmpty() && Attributes.getInt(node, "axis", 0) == 0
                && graph.constant(node.getInput(0)).filter(t -> DataType.of(t) == DataType.FLOAT
                        && t.getDimsCount() == 2 && Tensors.elementCount(t) >= MIN_TABLE_ELEMENTS).isPresent();
    }

    /**
     * int8 table with one scale per hidden column, symmetric; rows are gathered first so only they are dequantized:
     * by {@code DequantizeLinear} along the last axis from opset 13, and before it (whose DequantizeLinear has no
     * axis) by {@code Cast} to float and {@code Mul} by the column scales, the same arithmetic with a zero point of 0.
     * One scale per table would cost an opset-11 encoder's word table the precision of its narrow columns.
     */
    private static void quantizeTable(GraphEdit graph, NodeProto node) {
        OpsetNodes opsetNodes = new OpsetNodes(graph);
        TensorProto table = graph.constant(node.getInput(0)).orElseThrow();
        int rows = Math.toIntExact(table.getDims(0));
        int columns = Math.toIntExact(table.getDims(1));
        WeightQuantizer.Quantized quantized = WeightQuantizer.quantizeColumns(Tensors.toFloats(table), rows, columns,
                true);
        String codes = graph.uniqueName(node.getInput(0) + "_int8");
        String scales = graph.uniqueName(node.getInput(0) + "_scale");
        graph.putInitializer(Tensors.ofBytes(codes, DataType.INT8, new long[] {rows, columns}, quantized.codes()));
        graph.putInitializer(Tensors.ofFloats(scales, new long[] {columns}, quantized.scales()));
        String gathered = graph.uniqueName(node.getOutput(0) + "_int8");
        graph.replaceNode(node, node.toBuilder().setInput(0, codes).setOutput(0, gathered).build());
        if (opsetNodes.dequantizesPerAxis()) {
            String zeros = graph.uniqueName(node.getInput(0) + "_zero_point");
            graph.putInitializer(Tensors.ofBytes(zeros, DataType.INT8, new long[] {columns}, new byte[columns]));
            graph.addNode(opsetNodes.dequantize(gathered, scales, zeros, node.getOutput(0), -1));
        } else {
            String floats = graph.uniqueName(gathered + "_float");
            graph.addNode(graph.node("Cast", OnnxGraph.DEFAULT_DOMAIN, List.of(gathered), List.of(floats),
                    Attributes.ofInt("to", DataType.FLOAT.code())));
            graph.addNode(graph.node("Mul", OnnxGraph.DEFAULT_DOMAIN, List.of(floats, scales),
                    List.of(node.getOutput(0))));
        }
    }

    static float[] transpose(float[] values, int rows, int columns) {
        float[] transposed = new float[values.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                transposed[c * rows + r] = values[r * columns + c];
            }
        }
        return transposed;
    }
}
