package dev.verdant.compress.quantize;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.verdant.compress.CompressionPass;
import dev.verdant.compress.GraphEdit;
import dev.verdant.compress.OpsetNodes;
import dev.verdant.compress.PassContext;
import dev.verdant.compress.PassContext.CalibrationSample;
import dev.verdant.compress.PassOutput;
import dev.verdant.compress.prune.WeightTensors;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.Tensors;
import dev.verdant.runtime.InputTensor;
import dev.verdant.runtime.OrtRunner;
import dev.verdant.runtime.OrtRunner.Output;
import dev.verdant.runtime.SessionSpec;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The {@code int8-static} recipe step, in ONNX Runtime's QDQ form: each Conv, MatMul and Gemm with constant weights
 * gets int8 weights (per output channel by default) behind a {@code DequantizeLinear}, an int32 bias where it has
 * one, and a {@code QuantizeLinear → DequantizeLinear} pair on its activation input and output, with ranges
 * calibrated on real data (min-max, percentile or entropy). ONNX Runtime fuses the pairs into integer kernels; any
 * other runtime still reads plain ONNX.
 */
public final class StaticQuantizationPass implements CompressionPass, CompressionPass.PerNode {

    private static final Set<String> QUANTIZABLE = Set.of("Conv", "MatMul", "Gemm");
    private static final long MIN_OPSET = 10;

    private final QuantizationOptions options;
    private final Predicate<NodeProto> keepFloat;

    public StaticQuantizationPass(QuantizationOptions options) {
        this(options, options.keepFloat()::matches);
    }

    /** With an explicit keep-float predicate (the sensitivity analysis quantizes one node at a time). */
    public StaticQuantizationPass(QuantizationOptions options, Predicate<NodeProto> keepFloat) {
        this.options = options;
        this.keepFloat = keepFloat;
    }

    @Override
    public String name() {
        return "int8-static";
    }

    @Override
    public void validate(OnnxGraph graph) {
        requireQdqOpset(graph.opset());
        GraphEdit edit = new GraphEdit(graph.model());
        if (edit.nodes().stream().noneMatch(n -> isQuantizable(edit, n))) {
            throw new IllegalArgumentException("int8-static quantizes Conv, MatMul and Gemm with constant float weights,"
                    + " and the model has none");
        }
        // an integer input beside the float ones (Silero's sample rate) is fed as the calibration batches hold it;
        // a float input the pass quantizes directly must be in them as floats (requireInputsIn)
    }

    @Override
    public Set<Need> needs(ModelProto model) {
        return Set.of(Need.CALIBRATION_DATA);
    }

    @Override
    public Optional<PerNode> perNode() {
        return Optional.of(this);
    }

    @Override
    public CompressionPass keepingFloat(Predicate<NodeProto> keepFloat) {
        return new StaticQuantizationPass(options, keepFloat);
    }

    /** The nodes this pass quantizes, as name and op type, for a sensitivity analysis. */
    @Override
    public List<Map.Entry<String, String>> quantizableNodes(ModelProto model) {
        GraphEdit graph = new GraphEdit(model);
        return graph.nodes().stream().filter(n -> isQuantizable(graph, n))
                .map(n -> Map.entry(n.getName(), n.getOpType())).toList();
    }

    @Override
    public PassOutput apply(ModelProto model, PassContext context) {
        if (context.calibration().isEmpty()) {
            throw new IllegalArgumentException("int8-static needs calibration data: pass --data with real inputs");
        }
        GraphEdit graph = new GraphEdit(model);
        requireQdqOpset(graph.opset());
        List<NodeProto> targets = graph.nodes().stream().filter(n -> isQuantizable(graph, n)).toList();
        List<String> keptFloat = targets.stream().filter(keepFloat).map(NodeProto::getName).toList();
        targets = targets.stream().filter(keepFloat.negate()).toList();
        // the activations to quantize: each target's float input, and its output unless the graph returns it
        Set<String> activations = new LinkedHashSet<>();
        for (NodeProto node : targets) {
            activations.add(node.getInput(0));
            if (!graph.isGraphOutput(node.getOutput(0))) {
                activations.add(node.getOutput(0));
            }
        }
        Set<String> graphInputs = new LinkedHashSet<>();
        activations.stream().filter(t -> graph.graphInput(t).isPresent()).forEach(graphInputs::add);
        requireInputsIn(graphInputs, context.calibration());
        Map<String, ActivationRange> ranges = calibrate(model, activations, graphInputs, context.calibration(),
                context.session());
        Map<String, float[]> scaleAndZero = new LinkedHashMap<>();
        for (String tensor : activations) {
            // a graph input is the data itself, with a known range worth keeping whole; clipping methods are for
            // what the layers compute
            CalibrationMethod method = graph.graphInput(tensor).isPresent() ? CalibrationMethod.MIN_MAX
                    : options.calibration();
            float[] range = ranges.get(tensor).range(method);
            scaleAndZero.put(tensor, activationQuantization(range));
            insertQdq(graph, tensor, scaleAndZero.get(tensor));
        }
        // one scale per output channel needs DequantizeLinear's axis (opset 13); an older graph keeps its opset, whose
        // nodes (Unsqueeze, Split, ReduceSum, ...) a newer one would read differently, and gets per-tensor weights
        boolean perChannel = options.perChannel() && new OpsetNodes(graph).dequantizesPerAxis();
        int weights = 0;
        for (NodeProto node : targets) {
            quantizeWeights(graph, node, scaleAndZero.get(node.getInput(0))[0], perChannel);
            weights++;
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("quantizedNodes", weights);
        facts.put("quantizedActivations", activations.size());
        facts.put("keptFloat", keptFloat);
        facts.put("calibration", options.calibration().optionName() + " over " + context.calibration().size()
                + " batches");
        facts.put("weights", perChannel ? "int8 symmetric per-channel" : options.perChannel()
                ? "int8 symmetric per-tensor (DequantizeLinear has no axis before opset 13)"
                : "int8 symmetric per-tensor");
        facts.put("activations", options.symmetric() ? "int8 symmetric per-tensor" : "uint8 asymmetric per-tensor");
        return new PassOutput(graph.build(), facts);
    }

    /** QuantizeLinear and DequantizeLinear exist from opset 10; the model's opset is kept, never raised. */
    private static void requireQdqOpset(long opset) {
        if (opset > 0 && opset < MIN_OPSET) {
            throw new IllegalArgumentException("int8-static writes QuantizeLinear and DequantizeLinear (opset "
                    + MIN_OPSET + " and later), but the model imports opset " + opset + "; convert it to a newer opset");
        }
    }

    static boolean isQuantizable(GraphEdit graph, NodeProto node) {
        if (!QUANTIZABLE.contains(node.getOpType()) || !node.getDomain().isEmpty() || node.getInputCount() < 2
                || graph.constant(node.getInput(0)).isPresent()) {
            return false;
        }
        Optional<TensorProto> weight = graph.constant(node.getInput(1)).filter(w -> DataType.of(w) == DataType.FLOAT);
        if (weight.isEmpty()) {
            return false;
        }
        return switch (node.getOpType()) {
            case "Conv" -> weight.get().getDimsCount() >= 3;
            case "MatMul" -> weight.get().getDimsCount() == 2;
            default -> weight.get().getDimsCount() == 2 && Attributes.getInt(node, "transA", 0) == 0
                    && Attributes.getFloat(node, "alpha", 1f) == 1f && Attributes.getFloat(node, "beta", 1f) == 1f;
        };
    }

    /**
     * Two passes over the calibration batches: extremes, then histograms for the clipping methods. A tensor the model
     * computes is observed as an extra graph output; a graph input (a first layer reading the data directly) is the
     * batch itself, since ONNX Runtime returns only computed tensors, never a fed input.
     */
    private Map<String, ActivationRange> calibrate(ModelProto model, Set<String> tensors, Set<String> graphInputs,
            List<CalibrationSample> samples, SessionSpec spec) {
        Set<String> computed = new LinkedHashSet<>(tensors);
        computed.removeAll(graphInputs);
        ModelProto observed = withOutputs(model, computed);
        Map<String, ActivationRange> ranges = new LinkedHashMap<>();
        tensors.forEach(t -> ranges.put(t, new ActivationRange()));
        boolean histograms = options.calibration() != CalibrationMethod.MIN_MAX;
        try (OrtRunner session = OrtRunner.open(observed, spec.withBasicOptimization())) {
            for (int pass = 0; pass < (histograms ? 2 : 1); pass++) {
                for (CalibrationSample sample : samples) {
                    Map<String, Output> outputs = session.run(sample.inputs());
                    for (String tensor : tensors) {
                        float[] values = graphInputs.contains(tensor) ? sample.inputs().get(tensor).floats()
                                : computedValues(outputs, tensor);
                        if (pass == 0) {
                            ranges.get(tensor).observeExtremes(values);
                        } else {
                            ranges.get(tensor).observeHistogram(values);
                        }
                    }
                }
            }
        }
        return ranges;
    }

    private static float[] computedValues(Map<String, Output> outputs, String tensor) {
        Output output = outputs.get(tensor);
        if (output == null) {
            throw new IllegalStateException("ONNX Runtime did not return the float tensor '" + tensor
                    + "' that int8-static added as an output to calibrate it");
        }
        return output.values();
    }

    /** Every calibration batch must feed each graph input this pass quantizes as float values. */
    private static void requireInputsIn(Set<String> graphInputs, List<CalibrationSample> samples) {
        for (String input : graphInputs) {
            for (CalibrationSample sample : samples) {
                InputTensor tensor = sample.inputs().get(input);
                if (tensor == null || tensor.floats() == null) {
                    throw new IllegalArgumentException("int8-static calibrates graph input '" + input
                            + "' from the calibration batches, but they " + (tensor == null
                                    ? "feed only " + new TreeSet<>(sample.inputs().keySet())
                                    : "feed it as integers"));
                }
            }
        }
    }

    /** The model with each computed tensor in {@code tensors} also returned as a graph output. */
    private static ModelProto withOutputs(ModelProto model, Set<String> tensors) {
        var graph = model.getGraph().toBuilder();
        Set<String> existing = new LinkedHashSet<>();
        graph.getOutputList().forEach(o -> existing.add(o.getName()));
        for (String tensor : tensors) {
            if (!existing.contains(tensor)) {
                graph.addOutput(ValueInfoProto.newBuilder().setName(tensor).setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(DataType.FLOAT.code()))));
            }
        }
        return model.toBuilder().setGraph(graph).build();
    }

    /** Scale and zero point for a range: uint8 asymmetric, or int8 symmetric. */
    private float[] activationQuantization(float[] range) {
        if (options.symmetric()) {
            float absMax = Math.max(Math.abs(range[0]), Math.abs(range[1]));
            return new float[] {absMax > 0 ? absMax / 127f : 1f, 0f};
        }
        float span = range[1] - range[0];
        float scale = span > 0 ? span / 255f : 1f;
        float zero = Math.round(-range[0] / scale);
        return new float[] {scale, Math.max(0, Math.min(255, zero))};
    }

    /** Reroutes every reader of {@code tensor} through QuantizeLinear → DequantizeLinear. */
    private void insertQdq(GraphEdit graph, String tensor, float[] scaleAndZero) {
        DataType type = options.symmetric() ? DataType.INT8 : DataType.UINT8;
        String scale = graph.uniqueName(tensor + "_scale");
        String zero = graph.uniqueName(tensor + "_zp");
        String quantized = graph.uniqueName(tensor + "_q");
        String dequantized = graph.uniqueName(tensor + "_dq");
        graph.putInitializer(Tensors.ofFloats(scale, new long[0], new float[] {scaleAndZero[0]}));
        graph.putInitializer(Tensors.ofBytes(zero, type, new long[0], new byte[] {(byte) scaleAndZero[1]}));
        List<NodeProto> readers = List.copyOf(graph.consumers(tensor));
        for (NodeProto reader : readers) {
            NodeProto.Builder rewired = reader.toBuilder();
            for (int i = 0; i < reader.getInputCount(); i++) {
                if (reader.getInput(i).equals(tensor)) {
                    rewired.setInput(i, dequantized);
                }
            }
            graph.replaceNode(reader, rewired.build());
        }
        graph.addNode(graph.node("QuantizeLinear", OnnxGraph.DEFAULT_DOMAIN, List.of(tensor, scale, zero),
                List.of(quantized)));
        graph.addNode(graph.node("DequantizeLinear", OnnxGraph.DEFAULT_DOMAIN, List.of(quantized, scale, zero),
                List.of(dequantized)));
    }

    /** int8 weights behind DequantizeLinear (per output channel), and an int32 bias for Conv and Gemm. */
    private void quantizeWeights(GraphEdit graph, NodeProto original, float inputScale, boolean perChannel) {
        OpsetNodes opsetNodes = new OpsetNodes(graph);
        NodeProto node = graph.nodes().stream().filter(n -> n.getName().equals(original.getName())).findFirst()
                .orElseThrow();
        TensorProto weight = graph.constant(node.getInput(1)).orElseThrow();
        long[] dims = Tensors.dims(weight);
        int axis = WeightTensors.outputAxis(node);
        WeightQuantizer.Quantized quantized = WeightQuantizer.quantizeAxis(Tensors.toFloats(weight), dims,
                perChannel ? axis : -1);
        int channels = quantized.scales().length;
        String codes = quantizedName(graph, node.getInput(1), "_int8");
        String scales = graph.uniqueName(node.getInput(1) + "_scale");
        String zeros = graph.uniqueName(node.getInput(1) + "_zp");
        String dequantized = graph.uniqueName(node.getInput(1) + "_dq");
        long[] channelDims = perChannel ? new long[] {channels} : new long[0];
        graph.putInitializer(Tensors.ofBytes(codes, DataType.INT8, dims, quantized.codes()));
        graph.putInitializer(Tensors.ofFloats(scales, channelDims, quantized.scales()));
        // the zero points are all 0, but ONNX Runtime's QDQ fusions (QGemm, QLinearConv) want them stated
        graph.putInitializer(Tensors.ofBytes(zeros, DataType.INT8, channelDims, new byte[channels]));
        graph.addNode(opsetNodes.dequantize(codes, scales, zeros, dequantized, axis));
        NodeProto.Builder rewired = node.toBuilder().setInput(1, dequantized);
        boolean hasBias = !node.getOpType().equals("MatMul") && node.getInputCount() > 2 && !node.getInput(2).isEmpty();
        Optional<TensorProto> bias = hasBias ? graph.constant(node.getInput(2))
                .filter(b -> DataType.of(b) == DataType.FLOAT && b.getDimsCount() == 1
                        && b.getDims(0) == dims[axis]) : Optional.empty();
        if (bias.isPresent()) {
            float[] values = Tensors.toFloats(bias.get());
            int[] codes32 = new int[values.length];
            float[] biasScales = new float[values.length];
            for (int c = 0; c < values.length; c++) {
                biasScales[c] = inputScale * quantized.scales()[perChannel ? c : 0];
                codes32[c] = Math.toIntExact(Math.max(Integer.MIN_VALUE + 1L, Math.min(Integer.MAX_VALUE,
                        Math.round((double) values[c] / biasScales[c]))));
            }
            String biasCodes = quantizedName(graph, node.getInput(2), "_int32");
            String biasScale = graph.uniqueName(node.getInput(2) + "_scale");
            String biasFloat = graph.uniqueName(node.getInput(2) + "_dq");
            graph.putInitializer(Tensors.ofInts(biasCodes, new long[] {values.length}, codes32));
            graph.putInitializer(perChannel ? Tensors.ofFloats(biasScale, new long[] {values.length}, biasScales)
                    : Tensors.ofFloats(biasScale, new long[0], new float[] {biasScales[0]}));
            // no zero point: the QDQ form's int32 bias has zero point 0, the input's default, and ONNX Runtime fuses
            // Conv and Gemm without it; stating 0 for every channel would cost 4 bytes a channel for nothing
            graph.addNode(opsetNodes.dequantize(biasCodes, biasScale, "", biasFloat, 0));
            rewired.setInput(2, biasFloat);
        }
        graph.replaceNode(node, rewired.build());
    }

    /**
     * The name of a constant's integer codes: the constant's own when nothing else reads it (it is the same
     * parameter), else a new one. A {@code Constant} node that made the float value goes, or it would still write a
     * float tensor under the name the int8 initializer now holds, which ONNX Runtime refuses (PP-OCR's exports hold
     * their weights in Constant nodes).
     */
    private static String quantizedName(GraphEdit graph, String constant, String suffix) {
        if (graph.consumers(constant).size() != 1 || graph.isGraphOutput(constant)) {
            return graph.uniqueName(constant + suffix);
        }
        graph.producer(constant).ifPresent(constantNode -> graph.removeNodes(List.of(constantNode)));
        return constant;
    }
}
