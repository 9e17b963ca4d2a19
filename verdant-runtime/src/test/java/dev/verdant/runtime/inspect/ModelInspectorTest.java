package dev.verdant.runtime.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.BuiltinModel;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.Tensors;
import dev.verdant.onnx.build.Dim;
import dev.verdant.onnx.build.OnnxModelBuilder;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.runtime.ShapeInference;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Checks the inspector against counts worked out independently from all-MiniLM-L6-v2's published configuration
 * (BERT, 6 layers, hidden 384, 12 heads, FFN 1536, vocabulary 30,522, 512 positions, 2 token types).
 */
class ModelInspectorTest {

    private static final long LAYERS = 6;
    private static final long HIDDEN = 384;
    private static final long HEADS = 12;
    private static final long FFN = 1536;
    private static final long VOCAB = 30522;
    private static final long POSITIONS = 512;
    private static final long TYPES = 2;

    /** Embedding tables plus their LayerNorm. */
    private static final long EMBEDDING_PARAMS = (VOCAB + POSITIONS + TYPES) * HIDDEN + 2 * HIDDEN;
    /** Q, K, V, output projections with biases; FFN in and out with biases; two LayerNorms. */
    private static final long LAYER_PARAMS = 4 * (HIDDEN * HIDDEN + HIDDEN) + (HIDDEN * FFN + FFN)
            + (FFN * HIDDEN + HIDDEN) + 2 * 2 * HIDDEN;
    private static final long POOLER_PARAMS = HIDDEN * HIDDEN + HIDDEN;

    /** Encoder MACs for one sequence of length s: projections, both attention products, FFN. */
    private static long encoderMacs(long s) {
        long projections = 4 * s * HIDDEN * HIDDEN;
        long attention = 2 * HEADS * s * s * (HIDDEN / HEADS);
        long ffn = 2 * s * HIDDEN * FFN;
        return LAYERS * (projections + attention + ffn);
    }

    @Test
    void fp32MiniLmParamsAndMacsMatchTheArchitecture() throws IOException {
        var file = BuiltinModel.MINILM.modelFile();
        ModelSummary s = ModelInspector.inspect("minilm", Files.size(file), OnnxModels.read(file),
                Map.of("input_ids", new long[] {1, 128}));

        assertThat(s.params()).isEqualTo(EMBEDDING_PARAMS + LAYERS * LAYER_PARAMS + POOLER_PARAMS)
                .isEqualTo(22_713_216L);
        // the exported graph also has the pooler's dense layer, run on the first token only
        assertThat(s.macs()).isEqualTo(encoderMacs(128) + HIDDEN * HIDDEN).isEqualTo(1_434_599_424L);
        assertThat(s.flops()).isEqualTo(2 * s.macs() + s.elementwiseFlops());
        assertThat(s.nodesWithUnknownCost()).isZero();
        assertThat(s.opset()).isEqualTo(14);
        assertThat(s.ops()).containsEntry("MatMul", 48).containsEntry("Softmax", 6).containsEntry("Erf", 6);
        assertThat(s.inputs()).allSatisfy(t -> assertThat(t.shape()).containsExactly(1, 128));
        assertThat(s.outputs().get(0).shape()).containsExactly(1, 128, 384);
        // float bytes: the parameters plus a few scalar Constant nodes (sqrt(2), epsilon, ...)
        assertThat(s.bytesByType().get("float")).isBetween(4 * s.params(), 4 * s.params() + 4 * 1000);
    }

    @Test
    void macsScaleWithSequenceLengthAsAttentionPredicts() throws IOException {
        var file = BuiltinModel.MINILM.modelFile();
        var model = OnnxModels.read(file);
        long at64 = ModelInspector.inspect("minilm", 0, model, Map.of("input_ids", new long[] {2, 64})).macs();
        assertThat(at64).isEqualTo(2 * (encoderMacs(64) + HIDDEN * HIDDEN));
    }

    /**
     * Issue 22, item 6: at 32x512 the old inspector ran MiniLM in ONNX Runtime with every intermediate tensor kept
     * (19.5 GB peak). The shapes now come from the rules alone: nothing is probed, and the attention scores of
     * every layer have their full shape.
     */
    @Test
    void aLargeBatchIsInspectedWithoutRunningTheModel() throws IOException {
        var file = BuiltinModel.MINILM.modelFile();
        var model = OnnxModels.read(file);
        ModelSummary s = ModelInspector.inspect("minilm", Files.size(file), model,
                Map.of("input_ids", new long[] {32, 512}));

        assertThat(s.shapes().probed()).isEmpty();
        assertThat(s.shapes().probeRuns()).isZero();
        assertThat(s.shapes().unknown()).isZero();
        long outputs = model.getGraph().getNodeList().stream().mapToLong(n -> n.getOutputList().stream()
                .filter(o -> !o.isEmpty()).count()).sum();
        assertThat((long) s.shapes().byRules()).isEqualTo(outputs).isEqualTo(s.nodeCount());
        assertThat(s.nodes()).filteredOn(n -> n.opType().equals("Softmax")).hasSize(6)
                .allSatisfy(n -> assertThat(n.outputShape()).containsExactly(32, HEADS, 512, 512));
        assertThat(s.macs()).isEqualTo(32 * (encoderMacs(512) + HIDDEN * HIDDEN));
        assertThat(s.nodesWithUnknownCost()).isZero();
    }

    /** The rules and ONNX Runtime's probe give the same summary, node by node, for int8 MiniLM. */
    @Test
    void theRulesAndTheProbeGiveTheSameFigures() {
        var model = OnnxModels.read(BuiltinModel.MINILM_INT8.modelFile());
        Map<String, long[]> shapes = Map.of("input_ids", new long[] {3, 11});
        ModelSummary byRules = ModelInspector.inspect("m", 0, model, shapes);
        ModelSummary byProbe = ModelInspector.inspect("m", 0, model, shapes, ShapeInference::probeAll);

        assertThat(byRules.shapes().probed()).isEmpty();
        assertThat(byProbe.shapes().probed()).hasSize(byRules.shapes().byRules());
        assertThat(byRules.macs()).isEqualTo(byProbe.macs()).isEqualTo(3 * encoderMacs(11));
        assertThat(byRules.elementwiseFlops()).isEqualTo(byProbe.elementwiseFlops());
        assertThat(byRules.nodes()).hasSameSizeAs(byProbe.nodes());
        for (int i = 0; i < byRules.nodes().size(); i++) {
            assertThat(byRules.nodes().get(i).outputShape()).as(byRules.nodes().get(i).name())
                    .containsExactly(byProbe.nodes().get(i).outputShape());
        }
    }

    /** Weights inside an If branch (Silero VAD keeps all of them there) count as parameters and bytes, said so. */
    @Test
    void weightsInsideIfBranchesAreCountedAndTheNoteSaysMacsAreNot() {
        OnnxModelBuilder b = OnnxModelBuilder.create("branches");
        String x = b.input("x", DataType.FLOAT, Dim.named("B"), Dim.of(4));
        String flag = b.input("flag", DataType.BOOL);
        GraphProto thenBranch = branch("then", x);
        GraphProto elseBranch = branch("else", x);
        String y = b.node("If").inputs(flag).attribute(AttributeProto.newBuilder().setName("then_branch")
                .setType(AttributeProto.AttributeType.GRAPH).setG(thenBranch).build())
                .attribute(AttributeProto.newBuilder().setName("else_branch")
                        .setType(AttributeProto.AttributeType.GRAPH).setG(elseBranch).build()).output("y");
        b.output(y, DataType.FLOAT, Dim.named("B"), Dim.of(3));
        ModelSummary s = ModelInspector.inspect("m", 0, b.build(), Map.of("x", new long[] {1, 4}));
        assertThat(s.params()).isEqualTo(24);
        assertThat(s.bytesByType()).containsEntry("float", 96L);
        assertThat(s.assumptions()).anySatisfy(line -> assertThat(line).isEqualTo("4 nodes inside If, Loop or Scan "
                + "bodies (with 24 floating-point parameters) are counted in Params and Size but not in Operators or "
                + "MACs"));
    }

    /** A branch holding a Constant weight [4, 3] and a MatMul of the outer x with it. */
    private static GraphProto branch(String name, String x) {
        NodeProto constant = NodeProto.newBuilder().setOpType("Constant").addOutput(name + "_w")
                .addAttribute(Attributes.ofTensor("value", Tensors.ofFloats(name + "_w", new long[] {4, 3},
                        new float[12]))).build();
        NodeProto matMul = NodeProto.newBuilder().setOpType("MatMul").addInput(x).addInput(name + "_w")
                .addOutput(name + "_y").build();
        return GraphProto.newBuilder().setName(name).addNode(constant).addNode(matMul)
                .addOutput(ValueInfoProto.newBuilder().setName(name + "_y")).build();
    }

    @Test
    void int8MiniLmReportsItsInt8AndUint8Bytes() throws IOException {
        var file = BuiltinModel.MINILM_INT8.modelFile();
        ModelSummary s = ModelInspector.inspect("minilm-int8", Files.size(file), OnnxModels.read(file), Map.of());

        long matmulWeights = LAYERS * (4 * HIDDEN * HIDDEN + 2 * HIDDEN * FFN);
        long embeddingTables = (VOCAB + POSITIONS + TYPES) * HIDDEN;
        // per-channel int8 zero points (one per output column) sit beside the int8 MatMul weights
        long perChannelZeroPoints = LAYERS * (4 * HIDDEN + FFN + HIDDEN);
        assertThat(s.bytesByType().get("int8")).isEqualTo(matmulWeights + perChannelZeroPoints);
        // the three embedding tables are uint8, each with a scalar zero point
        assertThat(s.bytesByType().get("uint8")).isEqualTo(embeddingTables + 3);
        assertThat(s.quantizedParams()).isEqualTo(s.bytesByType().get("int8") + s.bytesByType().get("uint8"));
        assertThat(s.macs()).isEqualTo(encoderMacs(128));
        long stored = s.bytesByType().values().stream().mapToLong(Long::longValue).sum();
        assertThat(stored).isLessThan(s.bytes()).isGreaterThan((long) (0.98 * s.bytes()));
        assertThat(s.assumptions()).anySatisfy(a -> assertThat(a).contains("sequence_length=128"));
    }

    @Test
    void badShapesAreOneLineErrors() {
        var model = OnnxModels.read(BuiltinModel.MINILM_INT8.modelFile());
        assertThatThrownBy(() -> ModelInspector.inspect("m", 0, model, Map.of("pixels", new long[] {1, 3})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--shape names 'pixels', which is not an input; the inputs are input_ids, attention_mask, "
                        + "token_type_ids");
        assertThatThrownBy(() -> ModelInspector.inspect("m", 0, model, Map.of("input_ids", new long[] {1, 2, 3})))
                .hasMessageContaining("has 3 dims but the input has rank 2");
        assertThatThrownBy(() -> InputShapes.parseSpec("input_ids=1xabc")).hasMessageContaining("'abc' is not a whole number");
        assertThatThrownBy(() -> InputShapes.parseSpec("input_ids")).hasMessageContaining("must look like NAME=1x128");
        assertThatThrownBy(() -> InputShapes.parseSpec("input_ids=0x5")).hasMessageContaining("must be positive");
    }
}
