package dev.verdant.compress.structured;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.verdant.compress.CompressionPass;
import dev.verdant.compress.EncoderInputs;
import dev.verdant.compress.Fidelity;
import dev.verdant.compress.GraphEdit;
import dev.verdant.compress.MiniLmFixture;
import dev.verdant.compress.PassContext;
import dev.verdant.compress.PassContext.CalibrationSample;
import dev.verdant.compress.Recipe;
import dev.verdant.compress.fuse.TransformerFusionPass;
import dev.verdant.compress.quantize.DynamicQuantizationPass;
import dev.verdant.compress.quantize.QuantizationOptions;
import dev.verdant.compress.retrain.TrainingSetup;
import dev.verdant.compress.structured.TransformerBlocks.Kind;
import dev.verdant.compress.structured.TransformerBlocks.Unit;
import dev.verdant.data.Datasets;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.BuiltinModel;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.Tensors;
import dev.verdant.runtime.OrtRunner;
import dev.verdant.runtime.OrtRunner.Output;
import dev.verdant.runtime.SessionSpec;
import dev.verdant.runtime.inspect.ModelInspector;
import dev.verdant.train.zoo.Zoo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Head and FFN-channel pruning of the real all-MiniLM-L6-v2, checked in ONNX Runtime on real WordNet glosses:
 * calibration on the first glosses, fidelity on later ones it never saw. Short sequences (48 tokens, enough for
 * these glosses) keep the calibration runs to seconds.
 */
class TransformerStructuredPrunerTest {

    private static final int SEQUENCE = 48;
    private static final TransformerStructuredPruner.Options QUARTER =
            new TransformerStructuredPruner.Options(0.25, 0.25, true);

    private static ModelProto minilm;
    private static List<CalibrationSample> calibration;
    private static List<CalibrationSample> heldOut;
    private static TransformerStructuredPruner.Result reconstructed;

    @BeforeAll
    static void pruneOnce() {
        minilm = MiniLmFixture.model();
        List<String> glosses = Datasets.resolveTexts(Datasets.WORDNET_NOUNS).loadAll().texts();
        calibration = EncoderInputs.batches(minilm, BuiltinModel.MINILM.tokenizerFile(), glosses.subList(0, 64), 32,
                SEQUENCE);
        heldOut = EncoderInputs.batches(minilm, BuiltinModel.MINILM.tokenizerFile(), glosses.subList(1000, 1032), 16,
                SEQUENCE);
        reconstructed = new TransformerStructuredPruner(QUARTER, 2).prune(minilm, calibration);
    }

    @Test
    void findsEveryAttentionAndFeedForwardBlockOfMiniLm() {
        TransformerBlocks blocks = TransformerBlocks.find(new GraphEdit(minilm));
        // all-MiniLM-L6-v2: 6 layers, 12 heads of 32, FFN 384 -> 1536 -> 384
        assertThat(blocks.units()).filteredOn(u -> u.kind() == Kind.HEADS).hasSize(6)
                .allSatisfy(u -> assertThat(new int[] {u.groups(), u.groupSize(), u.inputWeights().size()})
                        .containsExactly(12, 32, 3));
        assertThat(blocks.units()).filteredOn(u -> u.kind() == Kind.FFN).hasSize(6)
                .allSatisfy(u -> assertThat(new int[] {u.groups(), u.groupSize()}).containsExactly(1536, 1));
        // in graph order: attention then FFN, layer by layer
        assertThat(blocks.units()).extracting(Unit::kind).containsExactly(Kind.HEADS, Kind.FFN, Kind.HEADS,
                Kind.FFN, Kind.HEADS, Kind.FFN, Kind.HEADS, Kind.FFN, Kind.HEADS, Kind.FFN, Kind.HEADS, Kind.FFN);
    }

    @Test
    void prunedEncoderRunsAndLosesExactlyThePrunedWeightsAndTheirWork() {
        ModelProto pruned = reconstructed.model();
        TransformerBlocks before = TransformerBlocks.find(new GraphEdit(minilm));
        long removedParams = 0;
        long removedMacsPerToken = 0;
        long removedHeadColumns = 0;
        for (Unit unit : before.units()) {
            int removed = unit.groups() - (int) Math.round(unit.groups() * 0.75);
            long columns = (long) removed * unit.groupSize();
            long width = Tensors.dims(new GraphEdit(minilm).initializer(unit.outputWeight()).orElseThrow())[1];
            long inputRows = Tensors.dims(new GraphEdit(minilm).initializer(unit.inputWeights().get(0))
                    .orElseThrow())[0];
            // each input weight loses the columns and its bias their entries; the output projection its rows
            removedParams += columns * (inputRows * unit.inputWeights().size() + unit.inputBiases().size() + width);
            removedMacsPerToken += columns * (inputRows * unit.inputWeights().size() + width);
            removedHeadColumns += unit.kind() == Kind.HEADS ? columns : 0;
        }
        assertThat(reconstructed.units()).extracting(TransformerStructuredPruner.UnitReport::after)
                .containsExactly(9, 1152, 9, 1152, 9, 1152, 9, 1152, 9, 1152, 9, 1152);
        assertThat(params(minilm) - params(pruned)).isEqualTo(removedParams);

        Map<String, long[]> shapes = Map.of("input_ids", new long[] {16, SEQUENCE}, "attention_mask",
                new long[] {16, SEQUENCE}, "token_type_ids", new long[] {16, SEQUENCE});
        long macsBefore = ModelInspector.inspect("a", 0, minilm, shapes).macs();
        long macsAfter = ModelInspector.inspect("b", 0, pruned, shapes).macs();
        // projections per token, plus the two attention products (q·k and p·v) per removed head column
        long expected = 16L * SEQUENCE * removedMacsPerToken + 16L * 2 * SEQUENCE * SEQUENCE * removedHeadColumns;
        assertThat((double) (macsBefore - macsAfter)).isCloseTo(expected, within(expected * 1e-3));

        try (OrtRunner model = OrtRunner.open(pruned, SessionSpec.threads(2))) {
            Output output = model.run(heldOut.get(0).inputs()).values().iterator().next();
            assertThat(output.shape()).containsExactly(16, SEQUENCE, 384);
        }
    }

    @Test
    void zeroFractionsReproduceTheOriginalOutputs() {
        TransformerStructuredPruner.Result same = new TransformerStructuredPruner(
                new TransformerStructuredPruner.Options(0, 0, true), 2).prune(minilm, calibration);
        assertThat(same.units()).allSatisfy(u -> assertThat(u.after()).isEqualTo(u.before()));
        Fidelity fidelity = MiniLmFixture.compare(minilm, same.model(), heldOut);
        assertThat(fidelity.maxAbsDiff()).isZero();
    }

    @Test
    void reconstructionBeatsPlainPruningOnHeldOutText() {
        TransformerStructuredPruner.Result plain = new TransformerStructuredPruner(
                new TransformerStructuredPruner.Options(0.25, 0.25, false), 2).prune(minilm, calibration);
        // the same heads and channels go either way (scores differ only by centring), so the re-fit is the difference
        Fidelity withoutRefit = MiniLmFixture.compare(minilm, plain.model(), heldOut);
        Fidelity withRefit = MiniLmFixture.compare(minilm, reconstructed.model(), heldOut);
        assertThat(withRefit.meanCosine()).isGreaterThan(withoutRefit.meanCosine());
        assertThat(withRefit.minCosine()).isGreaterThan(withoutRefit.minCosine());
        // and on the calibration text, the least squares lowers every unit's output error
        for (TransformerStructuredPruner.UnitReport unit : reconstructed.units()) {
            assertThat(unit.reconstructedError()).as(unit.unit()).isLessThan(unit.plainError());
        }
    }

    @Test
    void fusionAndInt8StillWorkOnThePrunedGraph() {
        ModelProto pruned = reconstructed.model();
        PassContext context = new PassContext(calibration, 0);
        ModelProto fused = new TransformerFusionPass(false).apply(pruned, context).model();
        List<NodeProto> attention = fused.getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals("Attention")).toList();
        // fusion reads the head count from the rewritten Reshape constants
        assertThat(attention).hasSize(6).allSatisfy(n -> assertThat(Attributes.getInt(n, "num_heads", 0))
                .isEqualTo(9));
        assertThat(MiniLmFixture.compare(pruned, fused, heldOut).minCosine()).isGreaterThan(0.9999);

        // int8-dynamic as the recipe runs it: fuse first, then quantize
        CompressionPass int8 = new DynamicQuantizationPass();
        int8.validate(OnnxGraph.of(pruned));
        ModelProto quantized = int8.apply(pruned, context).model();
        assertThat(quantized.getGraph().getNodeList()).extracting(NodeProto::getOpType).contains("QAttention");
        assertThat(MiniLmFixture.compare(pruned, quantized, heldOut).minCosine()).isGreaterThan(0.98);
    }

    @Test
    void recipesParseBothFormsAndRefuseBadFractionsInOneLine() {
        TrainingSetup setup = new TrainingSetup(null, 2, 1, "test");
        Recipe encoder = Recipe.parse("prune-structured:ffn=0.5,heads=0.25");
        assertThat(encoder.retrains()).isFalse();
        CompressionPass pass = encoder.passes(QuantizationOptions.defaults(), setup).get(0);
        assertThat(pass).isInstanceOfSatisfying(TransformerStructuredPruningPass.class, p -> assertThat(
                p.options()).isEqualTo(new TransformerStructuredPruner.Options(0.5, 0.25, true)));
        assertThat(((TransformerStructuredPruningPass) Recipe.parse("prune-structured:0.5,heads=0,reconstruct=no")
                .passes(QuantizationOptions.defaults(), setup).get(0)).options())
                .isEqualTo(new TransformerStructuredPruner.Options(0.5, 0, false));
        // epochs= with encoder settings fine-tunes the encoder on the recipe's text: still no labelled data
        assertThat(Recipe.parse("prune-structured:ffn=0.5,heads=0.5,epochs=2,lr=5e-5").retrains()).isFalse();
        // the plain form names the same step for CNNs, which retrains them
        assertThat(Recipe.parse("prune-structured:0.5").retrains()).isTrue();
        // on an encoder the plain form reads its settings as the encoder form does: epochs= fine-tunes the encoder,
        // and CNN-only settings are refused up front rather than silently ignored
        OnnxGraph encoderGraph = OnnxGraph.of(minilm);
        Recipe.parse("prune-structured:0.5,epochs=2").passes(QuantizationOptions.defaults(), setup).get(0)
                .validate(encoderGraph);
        CompressionPass cnnSettings = Recipe.parse("prune-structured:0.5,batch=64")
                .passes(QuantizationOptions.defaults(), setup).get(0);
        assertThatThrownBy(() -> cnnSettings.validate(encoderGraph)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("encoder").hasMessageContaining("'batch'").satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));

        for (String recipe : new String[] {"prune-structured:ffn=1", "prune-structured:heads=-0.1",
                "prune-structured:ffn=0.5,batch=2", "prune-structured:ffn=0.5,epochs=-1", "prune-structured:ffn=half", "prune-structured:ffn=0.5,"
                        + "reconstruct=maybe", "prune-structured:1.0,heads=0.2", "prune-structured:ffn=0.5,ridge=0"}) {
            assertThatThrownBy(() -> Recipe.parse(recipe)).as(recipe).isInstanceOf(IllegalArgumentException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
        assertThatThrownBy(() -> new TransformerStructuredPruner.Options(1.0, 0, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 1)");
    }

    @Test
    void aGraphWithoutAttentionOrFeedForwardIsRefusedInOneLine() {
        ModelProto lenet = Zoo.imageClassifier("lenet5", 10, 1.0, 1).build();
        assertThat(TransformerBlocks.find(new GraphEdit(lenet)).isEmpty()).isTrue();
        assertThatThrownBy(() -> new TransformerStructuredPruner(QUARTER, 1).prune(lenet, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no attention head")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        CompressionPass pass = Recipe.parse("prune-structured:ffn=0.5").passes(QuantizationOptions.defaults(),
                new TrainingSetup(null, 1, 1, "test")).get(0);
        assertThatThrownBy(() -> pass.validate(OnnxGraph.of(lenet))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BERT-style encoder");
        // an encoder with nothing to calibrate on is refused too, before any work
        assertThatThrownBy(() -> new TransformerStructuredPruner(QUARTER, 1).prune(minilm, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--data");
    }

    private static long params(ModelProto model) {
        // float weights only: the rewritten shape constants are small int64 initializers, not parameters
        return OnnxGraph.of(model).initializers().values().stream().filter(t -> DataType.of(t) == DataType.FLOAT)
                .mapToLong(Tensors::elementCount).sum();
    }
}
