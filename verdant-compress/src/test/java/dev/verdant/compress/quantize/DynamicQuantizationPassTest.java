package dev.verdant.compress.quantize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.verdant.compress.Fidelity;
import dev.verdant.compress.MiniLmFixture;
import dev.verdant.compress.PassContext;
import dev.verdant.compress.PassOutput;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.build.Dim;
import dev.verdant.onnx.build.OnnxModelBuilder;
import dev.verdant.runtime.InputTensor;
import dev.verdant.runtime.OrtRunner;
import dev.verdant.runtime.SessionSpec;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DynamicQuantizationPassTest {

    /**
     * Real MiniLM, real sentences: fused, int8 everywhere it counts, under 23 MB, and within the 0.99 cosine target
     * of fp32 on sentences it was not calibrated on.
     */
    @Test
    void quantizesMiniLmAfterFusingAndStaysCloseOnRealSentences() {
        ModelProto model = MiniLmFixture.model();
        PassContext calibration = new PassContext(MiniLmFixture.batches(model, 0, 32), 0);
        PassOutput out = new DynamicQuantizationPass().apply(model, calibration);
        ModelProto quantized = out.model();

        assertThat(quantized.getSerializedSize()).isLessThan(23_000_000);
        List<String> ops = quantized.getGraph().getNodeList().stream().map(NodeProto::getOpType).toList();
        assertThat(ops).contains("QAttention", "DynamicQuantizeMatMul", "DequantizeLinear", "FastGelu")
                .doesNotContain("Attention", "BiasGelu");
        // no float weight matrix is left to a plain MatMul or Gemm
        OnnxGraph graph = OnnxGraph.of(quantized);
        assertThat(graph.nodes()).filteredOn(n -> n.getOpType().equals("MatMul") || n.getOpType().equals("Gemm"))
                .allMatch(n -> graph.initializer(n.getInput(1)).isEmpty());
        assertThat(out.facts().get("quantized")).isEqualTo(Map.of("QAttention", 6, "DynamicQuantizeMatMul", 19,
                "Gather+DequantizeLinear", 2));

        // the outlier channels of LayerNorm and GELU outputs were found and scaled into the weights
        assertThat((Integer) out.facts().get("smoothedActivations")).isPositive();
        assertThat(quantized.getGraph().getNodeList()).filteredOn(n -> n.getOpType().equals("Mul")
                && n.getOutput(0).endsWith("_smoothed")).hasSize((Integer) out.facts().get("smoothedActivations"));

        Fidelity fidelity = MiniLmFixture.compare(model, quantized, MiniLmFixture.batches(model, 1000, 48));
        assertThat(fidelity.examples()).isEqualTo(48);
        assertThat(fidelity.meanCosine()).isGreaterThan(0.995);
        assertThat(fidelity.minCosine()).isGreaterThanOrEqualTo(0.99);
    }

    /**
     * An embedding lookup and a dense layer at opset 11 and 13: the table becomes int8 with one scale per column at
     * both, dequantized by DequantizeLinear along the last axis from 13 and by Cast and Mul at 11 (whose
     * DequantizeLinear has no axis), the model keeps its opset, and the looked-up rows ONNX Runtime returns are
     * within a column's quantization step of the float ones, outlier column or not.
     */
    @ParameterizedTest
    @ValueSource(longs = {11, 13})
    void storesEmbeddingTablesInInt8AtTheModelsOwnOpset(long opset) {
        int rows = 128;
        int width = 32;
        Random random = new Random(opset);
        float[] table = new float[rows * width];
        for (int i = 0; i < table.length; i++) {
            table[i] = (float) random.nextGaussian() * (i % width == 3 ? 8 : 1); // one outlier column
        }
        float[] weight = new float[width * width];
        for (int i = 0; i < weight.length; i++) {
            weight[i] = (float) random.nextGaussian() / width;
        }
        OnnxModelBuilder b = OnnxModelBuilder.create("lookup").opset(opset);
        String ids = b.input("ids", DataType.INT64, Dim.named("N"), Dim.of(4));
        String embedded = b.node("Gather").name("lookup").inputs(b.initializer("table", new long[] {rows, width},
                table), ids).output("embedded");
        String dense = b.node("MatMul").name("dense").inputs(embedded, b.initializer("weight",
                new long[] {width, width}, weight)).output("dense");
        b.output(dense, DataType.FLOAT, Dim.named("N"), Dim.of(4), Dim.of(width));
        b.output(embedded, DataType.FLOAT, Dim.named("N"), Dim.of(4), Dim.of(width));
        ModelProto model = b.build();

        PassOutput out = new DynamicQuantizationPass().apply(model, PassContext.withoutData(0));
        ModelProto quantized = out.model();
        assertThat(OnnxGraph.of(quantized).opset()).isEqualTo(opset);
        assertThat(out.facts().get("quantized")).isEqualTo(Map.of("Gather+DequantizeLinear", 1,
                "DynamicQuantizeMatMul", 1));
        assertThat(quantized.getGraph().getInitializerList()).noneMatch(t -> t.getName().equals("table"))
                .filteredOn(t -> t.getName().equals("table_scale")).singleElement()
                .satisfies(t -> assertThat(t.getDimsList()).containsExactly((long) width));
        assertThat(quantized.getGraph().getNodeList()).extracting(n -> n.getOpType())
                .contains(opset < 13 ? "Mul" : "DequantizeLinear")
                .doesNotContain(opset < 13 ? "DequantizeLinear" : "Cast");
        assertThat(quantized.getSerializedSize()).isLessThan(model.getSerializedSize() / 3);

        long[] lookups = {0, 5, 17, 127, 64, 3, 99, 42};
        Map<String, InputTensor> feed = Map.of(ids, InputTensor.ofLongs(new long[] {2, 4}, lookups));
        float[] expected;
        float[] actual;
        try (OrtRunner before = OrtRunner.open(model, SessionSpec.threads(1));
                OrtRunner after = OrtRunner.open(quantized, SessionSpec.threads(1))) {
            expected = before.run(feed).get(embedded).values();
            actual = after.run(feed).get(embedded).values();
        }
        double error = 0;
        double norm = 0;
        for (int i = 0; i < expected.length; i++) {
            error += (expected[i] - actual[i]) * (expected[i] - actual[i]);
            norm += expected[i] * expected[i];
        }
        // a step per column: the outlier column does not coarsen the others (one step per table was about 4x this)
        assertThat(Math.sqrt(error / norm)).isGreaterThan(0).isLessThan(0.012);
    }

    @Test
    void keepsMatchingNodesInFloat() {
        ModelProto model = MiniLmFixture.model();
        PassOutput out = new DynamicQuantizationPass(true, NodeSelector.parse("/encoder/layer.?/output/dense/MatMul")::matches, true)
                .apply(model, PassContext.withoutData(0));
        assertThat((List<?>) out.facts().get("keptFloat")).hasSize(6);
        assertThat(out.model().getGraph().getNodeList()).filteredOn(n -> n.getOpType().equals("MatMul")
                && n.getName().endsWith("/output/dense/MatMul")).hasSize(6);
    }

    @Test
    void refusesAModelWithNothingToQuantize() {
        OnnxModelBuilder b = OnnxModelBuilder.create("relu");
        String x = b.input("x", DataType.FLOAT, Dim.named("N"), Dim.of(4));
        b.output(b.node("Relu").inputs(x).output("y"), DataType.FLOAT, Dim.named("N"), Dim.of(4));
        ModelProto model = b.build();
        assertThatThrownBy(() -> new DynamicQuantizationPass().validate(OnnxGraph.of(model)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has none");
    }
}
