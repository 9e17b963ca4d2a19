package dev.verdant.compress;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.verdant.compress.PassContext.CalibrationSample;
import dev.verdant.compress.fuse.TransformerFusionPass;
import dev.verdant.compress.quantize.CalibrationMethod;
import dev.verdant.compress.quantize.DynamicQuantizationPass;
import dev.verdant.compress.quantize.NodeSelector;
import dev.verdant.compress.quantize.QuantizationOptions;
import dev.verdant.compress.quantize.StaticQuantizationPass;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.runtime.InferredShapes;
import dev.verdant.runtime.InputTensor;
import dev.verdant.runtime.ShapeInference;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The models Verdant's passes write use com.microsoft contrib ops (Attention, EmbedLayerNormalization,
 * SkipLayerNormalization, BiasGelu, DynamicQuantizeMatMul, QAttention) and QDQ pairs; inspect's shape rules give
 * every tensor of them the shape ONNX Runtime gives it, without probing.
 */
class CompressedModelShapesTest {

    private static final Map<String, long[]> SHAPES = Map.of("input_ids", new long[] {2, 9},
            "attention_mask", new long[] {2, 9}, "token_type_ids", new long[] {2, 9});

    private static Set<String> assertRulesAgreeWithOnnxRuntime(ModelProto model) {
        OnnxGraph graph = OnnxGraph.of(model);
        InferredShapes oracle = ShapeInference.probeAll(graph, SHAPES);
        InferredShapes rules = ShapeInference.infer(graph, SHAPES);
        assertThat(rules.probed()).isEmpty();
        assertThat(rules.probeRuns()).isZero();
        oracle.shapes().forEach((tensor, dims) -> assertThat(rules.shapes().get(tensor)).as(tensor)
                .containsExactly(dims));
        assertThat(rules.shape(graph.outputs().get(0).getName())).containsExactly(2, 9, 384);
        return graph.nodes().stream().map(NodeProto::getOpType).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void fusedMiniLm() {
        ModelProto fused = new TransformerFusionPass().apply(MiniLmFixture.model(), PassContext.withoutData(0))
                .model();
        assertThat(assertRulesAgreeWithOnnxRuntime(fused)).contains("Attention", "EmbedLayerNormalization",
                "SkipLayerNormalization", "BiasGelu");
    }

    @Test
    void fusedAndDynamicallyQuantizedMiniLm() {
        ModelProto quantized = new DynamicQuantizationPass().apply(MiniLmFixture.model(), PassContext.withoutData(0))
                .model();
        assertThat(assertRulesAgreeWithOnnxRuntime(quantized)).contains("QAttention", "DynamicQuantizeMatMul");
    }

    @Test
    void staticallyQuantizedMiniLm() {
        // calibration inputs only set the ranges; any in-vocabulary ids do for shapes
        long[] ids = new long[2 * 9];
        long[] ones = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 1000 + 37L * i;
            ones[i] = 1;
        }
        long[] dims = {2, 9};
        List<CalibrationSample> calibration = List.of(new CalibrationSample(Map.of(
                "input_ids", InputTensor.ofLongs(dims, ids), "attention_mask", InputTensor.ofLongs(dims, ones),
                "token_type_ids", InputTensor.ofLongs(dims, new long[ids.length]))));
        QuantizationOptions options = new QuantizationOptions(true, false, CalibrationMethod.MIN_MAX,
                NodeSelector.none());
        ModelProto quantized = new StaticQuantizationPass(options).apply(MiniLmFixture.model(),
                new PassContext(calibration, 0)).model();
        assertThat(assertRulesAgreeWithOnnxRuntime(quantized)).contains("QuantizeLinear", "DequantizeLinear");
    }
}
