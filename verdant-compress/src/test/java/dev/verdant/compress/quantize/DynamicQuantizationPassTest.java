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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
