package dev.verdant.train.transfer;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.build.Dim;
import dev.verdant.onnx.build.OnnxModelBuilder;
import dev.verdant.train.zoo.LayerWriter;
import dev.verdant.train.zoo.WeightInit;
import java.util.List;
import java.util.Locale;

/**
 * The new classifier put on a cut backbone: it reads the flattened features {@code [N, D]} as {@link #INPUT} and
 * writes {@link #OUTPUT} {@code [N, classes]}. A closed family: one linear layer, a small MLP, or a head model the
 * user brings.
 */
public sealed interface Head {

    /** The head model's input name. */
    String INPUT = "features";
    /** The head model's output name. */
    String OUTPUT = "logits";

    /** The head as an ONNX model from {@code features [N, featureSize]} to {@code logits [N, classes]}. */
    ModelProto build(int featureSize, int classes, long seed, long opset);

    /** One line for reports, e.g. {@code linear} or {@code mlp:128}. */
    String describe();

    /** {@code linear}, {@code mlp:HIDDEN}; anything else fails with one line. */
    static Head parse(String spec) {
        String text = spec.strip().toLowerCase(Locale.ROOT);
        if (text.equals("linear")) {
            return new Linear();
        }
        if (text.startsWith("mlp:")) {
            try {
                return new Mlp(Integer.parseInt(text.substring(4)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--head mlp:HIDDEN needs a whole number of hidden units, got '"
                        + spec + "'", e);
            }
        }
        throw new IllegalArgumentException("unknown head '" + spec + "'; expected linear or mlp:HIDDEN (e.g. mlp:128)");
    }

    /** One fully connected layer ({@code Gemm}) from the features to the classes. */
    record Linear() implements Head {
        @Override
        public ModelProto build(int featureSize, int classes, long seed, long opset) {
            OnnxModelBuilder builder = builder(featureSize, opset);
            LayerWriter layers = new LayerWriter(builder, seed);
            String logits = layers.linear("head.fc", INPUT, featureSize, classes, WeightInit.GLOROT_UNIFORM);
            return finish(builder, logits, classes);
        }

        @Override
        public String describe() {
            return "linear";
        }
    }

    /**
     * Two fully connected layers with a ReLU between them.
     *
     * @param hidden the hidden layer's width
     */
    record Mlp(int hidden) implements Head {
        public Mlp {
            if (hidden < 1) {
                throw new IllegalArgumentException("an MLP head needs at least one hidden unit, got " + hidden);
            }
        }

        @Override
        public ModelProto build(int featureSize, int classes, long seed, long opset) {
            OnnxModelBuilder builder = builder(featureSize, opset);
            LayerWriter layers = new LayerWriter(builder, seed);
            String h = layers.relu(layers.linear("head.fc1", INPUT, featureSize, hidden, WeightInit.HE_NORMAL));
            return finish(builder, layers.linear("head.fc2", h, hidden, classes, WeightInit.GLOROT_UNIFORM), classes);
        }

        @Override
        public String describe() {
            return "mlp:" + hidden;
        }
    }

    /**
     * A head model the user brings (for example one trained before): one float input {@code [N, D]}, logits out.
     *
     * @param model the head
     */
    record Given(ModelProto model) implements Head {
        @Override
        public ModelProto build(int featureSize, int classes, long seed, long opset) {
            OnnxGraph graph = OnnxGraph.of(model);
            if (graph.inputs().size() != 1 || graph.outputs().isEmpty()) {
                throw new IllegalArgumentException("a head model needs one input and a logits output; this one reads "
                        + graph.inputs().stream().map(ValueInfoProto::getName).toList());
            }
            List<TensorShapeProto.Dimension> in = graph.inputs().get(0).getType().getTensorType().getShape().getDimList();
            if (in.size() != 2 || (in.get(1).hasDimValue() && in.get(1).getDimValue() != featureSize)) {
                throw new IllegalArgumentException("the head reads " + shape(in) + " but the backbone gives [N, "
                        + featureSize + "] features at the cut");
            }
            List<TensorShapeProto.Dimension> out = graph.outputs().get(0).getType().getTensorType().getShape().getDimList();
            if (out.size() == 2 && out.get(1).hasDimValue() && out.get(1).getDimValue() != classes) {
                throw new IllegalArgumentException("the head writes " + out.get(1).getDimValue() + " classes but the data"
                        + " has " + classes);
            }
            return model;
        }

        @Override
        public String describe() {
            return "given head " + model.getGraph().getName();
        }

        private static String shape(List<TensorShapeProto.Dimension> dims) {
            return dims.stream().map(d -> d.hasDimValue() ? Long.toString(d.getDimValue()) : d.getDimParam())
                    .toList().toString();
        }
    }

    private static OnnxModelBuilder builder(int featureSize, long opset) {
        OnnxModelBuilder builder = OnnxModelBuilder.create("head").opset(opset); // the backbone's opset: the head joins its graph
        builder.input(INPUT, DataType.FLOAT, Dim.named("N"), Dim.of(featureSize));
        return builder;
    }

    private static ModelProto finish(OnnxModelBuilder builder, String logits, int classes) {
        String output = builder.node("Identity").name(OUTPUT).inputs(logits).output(OUTPUT);
        builder.output(output, DataType.FLOAT, Dim.named("N"), Dim.of(classes));
        return builder.build();
    }
}
