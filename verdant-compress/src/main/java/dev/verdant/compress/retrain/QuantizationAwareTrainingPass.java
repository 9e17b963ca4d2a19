package dev.verdant.compress.retrain;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.verdant.compress.GraphEdit;
import dev.verdant.compress.PassContext;
import dev.verdant.compress.PassOutput;
import dev.verdant.compress.quantize.QuantizationOptions;
import dev.verdant.compress.quantize.StaticQuantizationPass;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.Tensors;
import dev.verdant.train.StepHook;
import dev.verdant.train.TrainingListener;
import dev.verdant.train.TrainingLoss;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Quantization-aware training ({@code int8-qat}): the model is first quantized as {@code int8-static} does (QDQ,
 * calibrated activation ranges, per-channel int8 weights), then each int8 weight goes back to a float copy read
 * through {@code QuantizeLinear → DequantizeLinear} with the same scales, so the training engine runs the int8
 * model's arithmetic as fake quantization and passes gradients straight through the rounding. After fine-tuning,
 * the float copies are rounded with those scales into the int8 initializers again: the file ONNX Runtime runs
 * computes exactly what was trained. Scales and zero points stay fixed; int32 biases train in float and are
 * re-quantized with their scales.
 */
public final class QuantizationAwareTrainingPass extends RetrainingPass {

    private final StaticQuantizationPass quantizer;

    public QuantizationAwareTrainingPass(RetrainingOptions options, TrainingSetup setup) {
        super("int8-qat", options, setup);
        this.quantizer = new StaticQuantizationPass(QuantizationOptions.defaults());
    }

    @Override
    public void validate(OnnxGraph graph) {
        quantizer.validate(graph);
    }

    @Override
    public PassOutput apply(ModelProto model, PassContext context) {
        Retrainer retrainer = retrainer(name());
        PassOutput quantized = quantizer.apply(model, context);
        Trainable trainable = Trainable.of(quantized.model());
        Retrainer.Retrained trained = retrainer.train(trainable.model(), "int8-static of the compress input",
                options, StepHook.NONE, TrainingListener.NONE, new TrainingLoss.CrossEntropy(), null);
        Map<String, Object> facts = new LinkedHashMap<>(quantized.facts());
        facts.put("fakeQuantizedWeights", trainable.weights().size());
        // before training the fake-quantized model computes what int8-static gives, so this is its accuracy
        facts.put("int8StaticAccuracy", trained.accuracyBefore());
        facts.putAll(trained.facts("qat"));
        return new PassOutput(trainable.toQuantized(trained.model()), facts);
    }

    /**
     * One int8 weight turned trainable.
     *
     * @param floatCopy  the float initializer that trains
     * @param quantize   the QuantizeLinear node inserted in front of the weight's DequantizeLinear
     * @param dequantize the weight's DequantizeLinear as the int8 model had it
     */
    record FakeQuantizedWeight(String floatCopy, NodeProto quantize, NodeProto dequantize) {
    }

    /**
     * An int32 bias turned trainable.
     *
     * @param floatCopy  the float initializer the layer reads while training
     * @param dequantize the bias's DequantizeLinear as the int8 model had it
     * @param grid       its scale (and zero-point, if any) initializers, which nothing reads while the bias trains in
     *                   float
     */
    record FloatBias(String floatCopy, NodeProto dequantize, List<TensorProto> grid) {
    }

    /**
     * The fake-quantized training model and what to undo when exporting it.
     *
     * @param model   the model to train
     * @param weights the fake-quantized weights
     * @param biases  the biases trained in float
     */
    record Trainable(ModelProto model, List<FakeQuantizedWeight> weights, List<FloatBias> biases) {

        /** Makes the int8 weights and int32 biases of a QDQ model trainable. */
        static Trainable of(ModelProto qdq) {
            GraphEdit graph = new GraphEdit(qdq);
            List<FakeQuantizedWeight> weights = new ArrayList<>();
            List<FloatBias> biases = new ArrayList<>();
            for (NodeProto dequantize : graph.nodesOfType("DequantizeLinear")) {
                TensorProto codes = graph.initializer(dequantize.getInput(0)).orElse(null);
                if (codes == null) {
                    continue; // an activation's pair: it fake-quantizes as it is
                }
                float[] values = dequantized(graph, dequantize, codes);
                String floatCopy = graph.uniqueName(codes.getName() + "_qat");
                graph.putInitializer(Tensors.ofFloats(floatCopy, Tensors.dims(codes), values));
                if (DataType.of(codes) == DataType.INT32) {
                    for (NodeProto reader : List.copyOf(graph.consumers(dequantize.getOutput(0)))) {
                        graph.replaceNode(reader, rename(reader, dequantize.getOutput(0), floatCopy));
                    }
                    // its scale, and its zero point when it states one (int8-static leaves it to the default 0)
                    biases.add(new FloatBias(floatCopy, dequantize, dequantize.getInputList().stream().skip(1)
                            .filter(name -> !name.isEmpty()).map(name -> graph.initializer(name).orElseThrow())
                            .toList()));
                    continue;
                }
                String fakeQuantized = graph.uniqueName(codes.getName() + "_fake_quantized");
                NodeProto.Builder quantize = graph.node("QuantizeLinear", OnnxGraph.DEFAULT_DOMAIN,
                        List.of(floatCopy, dequantize.getInput(1), dequantize.getInput(2)), List.of(fakeQuantized))
                        .toBuilder().addAllAttribute(dequantize.getAttributeList());
                graph.addNode(quantize.build());
                graph.replaceNode(dequantize, rename(dequantize, codes.getName(), fakeQuantized));
                weights.add(new FakeQuantizedWeight(floatCopy, quantize.build(), dequantize));
            }
            return new Trainable(graph.build(), weights, biases);
        }

        /** The trained model as int8 QDQ again: each float copy rounded with its fixed scales. */
        ModelProto toQuantized(ModelProto trained) {
            GraphEdit graph = new GraphEdit(trained);
            for (FakeQuantizedWeight weight : weights) {
                NodeProto dequantize = weight.dequantize();
                TensorProto codes = quantize(graph, weight.floatCopy(), dequantize, dequantize.getInput(0),
                        DataType.INT8);
                graph.putInitializer(codes);
                NodeProto current = graph.nodes().stream().filter(n -> n.getName().equals(dequantize.getName()))
                        .findFirst().orElseThrow();
                graph.replaceNode(current, dequantize);
            }
            for (FloatBias bias : biases) {
                NodeProto dequantize = bias.dequantize();
                bias.grid().forEach(graph::putInitializer);
                graph.putInitializer(quantize(graph, bias.floatCopy(), dequantize, dequantize.getInput(0),
                        DataType.INT32));
                for (NodeProto reader : List.copyOf(graph.consumers(bias.floatCopy()))) {
                    graph.replaceNode(reader, rename(reader, bias.floatCopy(), dequantize.getOutput(0)));
                }
                graph.addNode(dequantize);
            }
            return graph.build(); // the QuantizeLinear nodes and float copies are unread now, so they go
        }
    }

    /** {@code codes * scale} along the DequantizeLinear's axis (zero points are 0 for weights and biases). */
    static float[] dequantized(GraphEdit graph, NodeProto dequantize, TensorProto codes) {
        long[] codeValues = Tensors.toLongs(codes);
        float[] scales = graph.constantFloats(dequantize.getInput(1)).orElseThrow();
        long inner = innerSize(Tensors.dims(codes), dequantize, scales.length);
        float[] values = new float[codeValues.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = codeValues[i] * scales[(int) ((i / inner) % scales.length)];
        }
        return values;
    }

    /** Rounds a float copy with the scales of {@code dequantize} into codes named {@code name}. */
    static TensorProto quantize(GraphEdit graph, String floatCopy, NodeProto dequantize, String name, DataType type) {
        float[] values = graph.constantFloats(floatCopy).orElseThrow();
        long[] dims = Tensors.dims(graph.initializer(floatCopy).orElseThrow());
        float[] scales = graph.constantFloats(dequantize.getInput(1)).orElseThrow();
        long inner = innerSize(dims, dequantize, scales.length);
        if (type == DataType.INT32) {
            int[] codes = new int[values.length];
            for (int i = 0; i < values.length; i++) {
                codes[i] = (int) Math.max(Integer.MIN_VALUE + 1, Math.min(Integer.MAX_VALUE,
                        Math.rint(values[i] / scales[(int) ((i / inner) % scales.length)])));
            }
            return Tensors.ofInts(name, dims, codes);
        }
        byte[] codes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            // QuantizeLinear rounds half to even and saturates, as the fake quantization did while training
            double code = Math.rint(values[i] / scales[(int) ((i / inner) % scales.length)]);
            codes[i] = (byte) Math.max(-128, Math.min(127, code));
        }
        return Tensors.ofBytes(name, DataType.INT8, dims, codes);
    }

    /** Elements per step of the channel index: the product of the dims after the axis (1 for one scale). */
    private static long innerSize(long[] dims, NodeProto dequantize, int scaleCount) {
        if (scaleCount == 1) {
            return 1;
        }
        int axis = (int) Attributes.getInt(dequantize, "axis", 1);
        axis = axis < 0 ? axis + dims.length : axis;
        long inner = 1;
        for (int d = axis + 1; d < dims.length; d++) {
            inner *= dims[d];
        }
        return inner;
    }

    private static NodeProto rename(NodeProto node, String from, String to) {
        NodeProto.Builder builder = node.toBuilder();
        for (int i = 0; i < node.getInputCount(); i++) {
            if (node.getInput(i).equals(from)) {
                builder.setInput(i, to);
            }
        }
        return builder.build();
    }
}
