package dev.verdant.train.zoo;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.onnx.DataType;
import dev.verdant.runtime.inspect.ModelInspector;
import dev.verdant.runtime.inspect.ModelSummary;
import java.util.List;
import java.util.Map;

/**
 * One efficient architecture of the zoo: a configuration that writes itself as an ONNX graph with freshly initialised
 * (seeded) weights. Every zoo graph reads one input named {@value #INPUT} with a symbolic batch dimension {@code N}
 * and returns unnormalised class scores named {@value #OUTPUT}.
 */
public sealed interface Architecture permits ImageArchitecture, TransformerClassifier {

    /** The name of every zoo model's input. */
    String INPUT = "input";
    /** The name of every zoo model's output: logits {@code [N, classes]}. */
    String OUTPUT = "logits";
    /** One 28x28 grey image, {@code [1, 28, 28]}: the example shape of the image architectures. */
    List<Long> GREY_28X28 = List.of(1L, 28L, 28L);
    /** The opset zoo graphs import: 17 is the first with {@code LayerNormalization}. */
    long OPSET = 17;

    /** The short name used on the command line, e.g. {@code lenet5}. */
    String id();

    /** Number of classes the logits score. */
    int classes();

    /** The seed the weights were drawn with. */
    long seed();

    /** The shape of one example, without the batch dimension ({@code [1, 28, 28]} for images). */
    List<Long> exampleShape();

    /** The element type of the input: float pixels or int64 token ids. */
    DataType inputType();

    /** The graph, with initialised weights and the configuration in its {@code metadata_props}. */
    ModelProto build();

    /** Parameters, MACs and the rest of {@code verdant inspect}'s figures for one example (batch size 1). */
    default ModelSummary inspect() {
        ModelProto model = build();
        long[] shape = new long[exampleShape().size() + 1];
        shape[0] = 1;
        for (int i = 1; i < shape.length; i++) {
            shape[i] = exampleShape().get(i - 1);
        }
        return ModelInspector.inspect(id(), model.getSerializedSize(), model, Map.of(INPUT, shape));
    }
}
