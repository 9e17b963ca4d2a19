package dev.verdant.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.Tensors;
import dev.verdant.onnx.build.Dim;
import dev.verdant.onnx.build.OnnxModelBuilder;
import dev.verdant.runtime.InputTensor;
import dev.verdant.runtime.OrtRunner;
import dev.verdant.runtime.OrtRunner.Output;
import dev.verdant.runtime.SessionSpec;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The opset-dependent nodes in each form, run in ONNX Runtime at the opset of the graph they were built for, against
 * the same arithmetic done here in Java.
 */
class OpsetNodesTest {

    private static final int ROWS = 2;
    private static final int COLUMNS = 3;

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 17, 18})
    void buildsNodesThatOnnxRuntimeRunsAtTheGraphsOwnOpset(long opset) {
        OnnxModelBuilder b = OnnxModelBuilder.create("opset_nodes").opset(opset);
        String x = b.input("x", DataType.FLOAT, Dim.of(ROWS), Dim.of(COLUMNS));
        b.output(b.node("Identity").inputs(x).output("x_copy"), DataType.FLOAT, Dim.of(ROWS), Dim.of(COLUMNS));
        boolean perAxis = opset >= 13;
        List<String> outputs = perAxis ? List.of("squeezed", "column_2", "per_tensor", "per_column")
                : List.of("squeezed", "column_2", "per_tensor");
        GraphEdit graph = new GraphEdit(withOutputs(b.build(), outputs));
        OpsetNodes nodes = new OpsetNodes(graph);
        assertThat(nodes.dequantizesPerAxis()).isEqualTo(perAxis);
        // x (2, 3) -> unsqueezed (1, 2, 3) -> row sums (1, 2) -> squeezed (2)
        graph.addNode(nodes.unsqueeze(x, "unsqueezed", 0));
        graph.addNode(nodes.reduceSum("unsqueezed", "row_sums", false, 2));
        graph.addNode(nodes.squeeze("row_sums", "squeezed", 0));
        graph.addNode(nodes.splitEqually(x, List.of("column_0", "column_1", "column_2"), 1));
        // int8 codes (2, 3): one scale per tensor at every opset, one per column where the opset has an axis
        byte[] codes = {-127, -1, 0, 1, 64, 127};
        float[] columnScales = {0.5f, 0.25f, 2f};
        graph.putInitializer(Tensors.ofBytes("codes", DataType.INT8, new long[] {ROWS, COLUMNS}, codes));
        graph.putInitializer(Tensors.ofFloats("tensor_scale", new long[0], new float[] {0.5f}));
        graph.putInitializer(Tensors.ofBytes("tensor_zero", DataType.INT8, new long[0], new byte[1]));
        graph.addNode(nodes.dequantize("codes", "tensor_scale", "tensor_zero", "per_tensor", -1));
        if (perAxis) {
            graph.putInitializer(Tensors.ofFloats("column_scales", new long[] {COLUMNS}, columnScales));
            graph.putInitializer(Tensors.ofBytes("column_zeros", DataType.INT8, new long[] {COLUMNS},
                    new byte[COLUMNS]));
            graph.addNode(nodes.dequantize("codes", "column_scales", "column_zeros", "per_column", -1));
        }
        ModelProto built = graph.build();

        assertThat(OnnxGraph.of(built).opset()).isEqualTo(opset);
        NodeProto unsqueeze = built.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Unsqueeze"))
                .findFirst().orElseThrow();
        assertThat(Attributes.has(unsqueeze, "axes")).isEqualTo(opset < 13);
        assertThat(unsqueeze.getInputCount()).isEqualTo(opset < 13 ? 1 : 2);

        float[] input = new float[ROWS * COLUMNS];
        Random random = new Random(opset);
        for (int i = 0; i < input.length; i++) {
            input[i] = random.nextFloat() * 2 - 1;
        }
        Map<String, Output> result;
        try (OrtRunner runner = OrtRunner.open(built, SessionSpec.threads(1))) {
            result = runner.run(Map.of(x, InputTensor.ofFloats(new long[] {ROWS, COLUMNS}, input)));
        }
        assertThat(result.get("squeezed").shape()).containsExactly(ROWS);
        for (int row = 0; row < ROWS; row++) {
            float sum = 0;
            for (int column = 0; column < COLUMNS; column++) {
                sum += input[row * COLUMNS + column];
            }
            assertThat(result.get("squeezed").values()[row]).isCloseTo(sum, within(1e-6f));
            assertThat(result.get("column_2").values()[row]).isEqualTo(input[row * COLUMNS + 2]);
        }
        for (int i = 0; i < codes.length; i++) {
            assertThat(result.get("per_tensor").values()[i]).isEqualTo(codes[i] * 0.5f);
            if (perAxis) {
                assertThat(result.get("per_column").values()[i]).isEqualTo(codes[i] * columnScales[i % COLUMNS]);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12})
    void refusesPerAxisScalesBeforeOpset13NamingThem(long opset) {
        OnnxModelBuilder b = OnnxModelBuilder.create("old").opset(opset);
        String x = b.input("x", DataType.FLOAT, Dim.of(1));
        b.output(b.node("Identity").inputs(x).output("y"), DataType.FLOAT, Dim.of(1));
        GraphEdit graph = new GraphEdit(b.build());
        graph.putInitializer(Tensors.ofFloats("column_scales", new long[] {COLUMNS}, new float[COLUMNS]));
        assertThatThrownBy(() -> new OpsetNodes(graph).dequantize("codes", "column_scales", "zeros", "out", -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'column_scales'").hasMessageContaining("opset 13")
                .hasMessageEndingWith("the model has " + opset);
    }

    private static ModelProto withOutputs(ModelProto model, List<String> names) {
        var graph = model.getGraph().toBuilder();
        for (String name : names) {
            graph.addOutput(ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                    .setTensorType(TypeProto.Tensor.newBuilder().setElemType(DataType.FLOAT.code()))));
        }
        return model.toBuilder().setGraph(graph).build();
    }
}
