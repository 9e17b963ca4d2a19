package dev.verdant.train.zoo;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.Provenance;
import dev.verdant.onnx.build.Dim;
import dev.verdant.onnx.build.OnnxModelBuilder;
import java.util.ArrayList;
import java.util.List;

/** The frame every zoo model shares: one batched input, one logits output, configuration in the metadata. */
final class ZooGraph {

    private final Architecture architecture;
    private final OnnxModelBuilder graph;
    private final LayerWriter layers;

    ZooGraph(Architecture architecture, String description) {
        this.architecture = architecture;
        this.graph = OnnxModelBuilder.create(architecture.id()).opset(Architecture.OPSET)
                .producer("verdant", ZooGraph.class.getPackage().getImplementationVersion() == null ? ""
                        : ZooGraph.class.getPackage().getImplementationVersion())
                .docString(description)
                .metadata(Provenance.key(Provenance.ZOO, "arch"), architecture.id())
                .metadata(Provenance.key(Provenance.ZOO, "config"), architecture.toString())
                .metadata(Provenance.key(Provenance.ZOO, "seed"), Long.toString(architecture.seed()));
        this.layers = new LayerWriter(graph, architecture.seed());
    }

    LayerWriter layers() {
        return layers;
    }

    /** Declares the input {@code [N, example shape...]} and returns its name. */
    String input() {
        List<Dim> dims = new ArrayList<>();
        dims.add(Dim.named("N"));
        architecture.exampleShape().forEach(d -> dims.add(Dim.of(d)));
        return graph.input(Architecture.INPUT, architecture.inputType(), dims.toArray(Dim[]::new));
    }

    /** Renames the last tensor to the logits output and builds the model. */
    ModelProto finish(String scores) {
        String logits = graph.node("Identity").name("logits").inputs(scores).output(Architecture.OUTPUT);
        graph.output(logits, DataType.FLOAT, Dim.named("N"), Dim.of(architecture.classes()));
        return graph.build();
    }
}
