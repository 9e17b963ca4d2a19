package dev.verdant.compress.fuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.verdant.compress.EncoderInputs;
import dev.verdant.compress.Fidelity;
import dev.verdant.compress.MiniLmFixture;
import dev.verdant.compress.PassContext;
import dev.verdant.compress.PassContext.CalibrationSample;
import dev.verdant.compress.PassOutput;
import dev.verdant.compress.Recipe;
import dev.verdant.compress.quantize.DynamicQuantizationPass;
import dev.verdant.compress.quantize.QuantizationOptions;
import dev.verdant.data.Datasets;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.BuiltinModel;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.runtime.InputTensor;
import dev.verdant.runtime.OrtRunner;
import dev.verdant.runtime.OrtRunner.Output;
import dev.verdant.runtime.SessionSpec;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The real MiniLM and real WordNet glosses, with ONNX Runtime running the model before the step as the oracle. */
class PaddingRemovalTest {

    private static final String HIDDEN = "output_0";
    private static final String POOLED = "882";

    /**
     * fp32 {@code fuse,unpad}: at real positions the hidden states and the pooler output are those of the fused
     * model, at padded positions they are exactly 0, and every attention core runs as MultiHeadAttention.
     */
    @Test
    void keepsRealTokensAndZeroesPaddingOfTheFusedMiniLm() {
        ModelProto model = MiniLmFixture.model();
        ModelProto fused = new TransformerFusionPass().apply(model, PassContext.withoutData(0)).model();
        PassOutput out = new PaddingRemoval().apply(fused, PassContext.withoutData(0));
        ModelProto unpadded = out.model();

        List<String> ops = unpadded.getGraph().getNodeList().stream().map(NodeProto::getOpType).toList();
        assertThat(ops.stream().filter("MultiHeadAttention"::equals).count()).isEqualTo(6);
        assertThat(ops).doesNotContain("Attention").contains("NonZero", "GatherND", "ScatterND");
        assertThat(out.facts()).containsEntry("mask", "attention_mask").containsEntry("restored", List.of(HIDDEN));

        List<CalibrationSample> batches = MiniLmFixture.batches(model, 2000, 32);
        try (OrtRunner before = OrtRunner.open(fused, SessionSpec.threads(2));
                OrtRunner after = OrtRunner.open(unpadded, SessionSpec.threads(2))) {
            for (CalibrationSample batch : batches) {
                Map<String, Output> expected = before.run(batch.inputs());
                Map<String, Output> actual = after.run(batch.inputs());
                long[] mask = batch.inputs().get("attention_mask").longs();
                Deviation hidden = Deviation.of(expected.get(HIDDEN), actual.get(HIDDEN), mask);
                assertThat(hidden.realTokens()).isLessThan(1e-4);
                assertThat(hidden.paddedMagnitude()).isZero();
                assertThat(hidden.paddedPositions()).isPositive();
                // the pooler reads the first token, which is real in every row
                assertThat(maxAbsDiff(expected.get(POOLED), actual.get(POOLED))).isLessThan(1e-4);
                assertThat(actual.get(HIDDEN).shape()).isEqualTo(expected.get(HIDDEN).shape());
            }
        }
    }

    /**
     * {@code int8-dynamic,unpad}: real tokens within int8 noise of int8-dynamic (activation scales now come from
     * real tokens only), padded positions 0, and the embeddings still within the 0.99 cosine target of fp32.
     */
    @Test
    void composesWithInt8Dynamic() {
        ModelProto model = MiniLmFixture.model();
        ModelProto int8 = new DynamicQuantizationPass().apply(model,
                new PassContext(MiniLmFixture.batches(model, 0, 16), 0)).model();
        PassOutput out = new PaddingRemoval().apply(int8, PassContext.withoutData(0));
        ModelProto unpadded = out.model();
        assertThat(unpadded.getGraph().getNodeList()).noneMatch(n -> n.getOpType().equals("QAttention"))
                .filteredOn(n -> n.getOpType().equals("DynamicQuantizeMatMul")).hasSize(19 + 6);
        assertThat(unpadded.getSerializedSize()).isLessThan(int8.getSerializedSize() + 10_000);

        List<CalibrationSample> batches = MiniLmFixture.batches(model, 3000, 32);
        try (OrtRunner before = OrtRunner.open(int8, SessionSpec.threads(2));
                OrtRunner after = OrtRunner.open(unpadded, SessionSpec.threads(2))) {
            for (CalibrationSample batch : batches) {
                long[] mask = batch.inputs().get("attention_mask").longs();
                Deviation hidden = Deviation.of(before.run(batch.inputs()).get(HIDDEN),
                        after.run(batch.inputs()).get(HIDDEN), mask);
                assertThat(hidden.realTokens()).isLessThan(1.0);
                assertThat(hidden.paddedMagnitude()).isZero();
            }
        }
        Fidelity fidelity = MiniLmFixture.compare(model, unpadded, batches);
        assertThat(fidelity.minCosine()).isGreaterThanOrEqualTo(0.99);
    }

    /**
     * Edge batches: real glosses truncated to 8 tokens (no padding at all), and the same batch with one row masked out
     * entirely and another padded on the left: real positions still match, every masked position is 0.
     */
    @Test
    void handlesBatchesWithoutPaddingAndRowsWithoutTokens() {
        ModelProto model = MiniLmFixture.model();
        ModelProto fused = new TransformerFusionPass().apply(model, PassContext.withoutData(0)).model();
        ModelProto unpadded = new PaddingRemoval().apply(fused, PassContext.withoutData(0)).model();
        List<String> glosses = Datasets.resolveTexts(Datasets.WORDNET_NOUNS)
                .loadAll().texts().subList(4000, 4016);
        CalibrationSample full = EncoderInputs.batches(model, BuiltinModel.MINILM.tokenizerFile(),
                glosses, 16, 8).get(0);
        long[] mask = full.inputs().get("attention_mask").longs().clone();
        assertThat(mask).containsOnly(1L);
        Arrays.fill(mask, 0, 8, 0L);
        Arrays.fill(mask, 8, 10, 0L);
        Map<String, InputTensor> inputs = new HashMap<>(full.inputs());
        inputs.put("attention_mask", new InputTensor(new long[] {16, 8}, null, mask));
        CalibrationSample holes = new CalibrationSample(inputs);
        try (OrtRunner before = OrtRunner.open(fused, SessionSpec.threads(2));
                OrtRunner after = OrtRunner.open(unpadded, SessionSpec.threads(2))) {
            for (CalibrationSample batch : List.of(full, holes)) {
                long[] batchMask = batch.inputs().get("attention_mask").longs();
                Deviation hidden = Deviation.of(before.run(batch.inputs()).get(HIDDEN),
                        after.run(batch.inputs()).get(HIDDEN),
                        batchMask);
                assertThat(hidden.realTokens()).isLessThan(1e-4);
                assertThat(hidden.paddedMagnitude()).isZero();
            }
        }
    }

    /** The raw PyTorch export has no fused attention: one line, naming what is missing and what to run first. */
    @Test
    void refusesAnUnfusedEncoder() {
        ModelProto model = MiniLmFixture.model();
        assertThatThrownBy(() -> new PaddingRemoval().validate(OnnxGraph.of(model)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("found none").hasMessageContaining("run fuse");
    }

    /** Attention without a mask has no padding to remove. */
    @Test
    void refusesAttentionWithoutAMask() {
        ModelProto fused = new TransformerFusionPass().apply(MiniLmFixture.model(), PassContext.withoutData(0))
                .model();
        var graph = fused.getGraph().toBuilder();
        for (int i = 0; i < graph.getNodeCount(); i++) {
            NodeProto node = graph.getNode(i);
            if (node.getOpType().equals("Attention")) {
                graph.setNode(i, node.toBuilder().clearInput().addAllInput(node.getInputList().subList(0, 3)));
            }
        }
        ModelProto unmasked = fused.toBuilder().setGraph(graph).build();
        assertThatThrownBy(() -> new PaddingRemoval().apply(unmasked, PassContext.withoutData(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no padding mask");
    }

    /**
     * An op that mixes positions on the token stream (here an unmasked mean over the sequence, as a careless pooling
     * export would add) is named, and nothing is rewritten.
     */
    @Test
    void refusesAPositionMixingOpOnTheTokenStream() {
        ModelProto fused = new TransformerFusionPass().apply(MiniLmFixture.model(), PassContext.withoutData(0))
                .model();
        NodeProto mean = NodeProto.newBuilder().setOpType("ReduceMean").setName("sequence_mean").addInput(HIDDEN)
                .addOutput("sequence_mean").addAttribute(Attributes.ofInts("axes", 1)).build();
        ModelProto pooled = fused.toBuilder().setGraph(fused.getGraph().toBuilder().addNode(mean)
                .addOutput(ValueInfoProto.newBuilder().setName("sequence_mean").setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(DataType.FLOAT.code()))))).build();
        assertThatThrownBy(() -> new PaddingRemoval().validate(OnnxGraph.of(pooled)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ReduceMean node 'sequence_mean'").hasMessageNotContaining("\n");
    }

    /** The step parses as a recipe step without argument and composes after int8-dynamic, never inside it. */
    @Test
    void isAnOptInRecipeStep() {
        Recipe recipe = Recipe.parse("int8-dynamic,unpad");
        assertThat(recipe.passes(QuantizationOptions.defaults())).extracting(p -> p.name())
                .containsExactly("int8-dynamic", "unpad");
        assertThat(Recipe.parse("int8-dynamic").has("unpad")).isFalse();
        assertThatThrownBy(() -> Recipe.parse("unpad:128")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("takes no argument");
    }

    private static double maxAbsDiff(Output expected, Output actual) {
        double max = 0;
        for (int i = 0; i < expected.values().length; i++) {
            max = Math.max(max, Math.abs(expected.values()[i] - actual.values()[i]));
        }
        return max;
    }

    /** How a (batch, sequence, hidden) output moved: at real positions, and how large it is at padded ones. */
    private record Deviation(double realTokens, double paddedMagnitude, int paddedPositions) {

        static Deviation of(Output expected, Output actual, long[] mask) {
            int hidden = Math.toIntExact(expected.shape()[2]);
            double real = 0;
            double padded = 0;
            int paddedPositions = 0;
            for (int token = 0; token < mask.length; token++) {
                paddedPositions += mask[token] == 0 ? 1 : 0;
                for (int h = token * hidden; h < (token + 1) * hidden; h++) {
                    if (mask[token] != 0) {
                        real = Math.max(real, Math.abs(expected.values()[h] - actual.values()[h]));
                    } else {
                        padded = Math.max(padded, Math.abs(actual.values()[h]));
                    }
                }
            }
            return new Deviation(real, padded, paddedPositions);
        }
    }
}
