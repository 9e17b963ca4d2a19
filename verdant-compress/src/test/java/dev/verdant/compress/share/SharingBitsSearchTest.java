package dev.verdant.compress.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.compress.PassContext;
import dev.verdant.compress.pack.OrtOutputs;
import dev.verdant.compress.pack.TestModels;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.Tensors;
import dev.verdant.runtime.InputTensor;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The bits search on the conv MLP fixture, scored by the cosine similarity of its outputs to the unshared model's
 * on real Fashion-MNIST pixels, in ONNX Runtime.
 */
class SharingBitsSearchTest {

    private static final ModelProto MODEL = TestModels.convMlp(5);
    private static final Map<String, InputTensor> INPUT = TestModels.convMlpInput(16);
    private static final float[] REFERENCE = OrtOutputs.run(MODEL, INPUT).get("y");
    private static final ToDoubleFunction<ModelProto> FIDELITY =
            model -> OrtOutputs.cosine(REFERENCE, OrtOutputs.run(model, INPUT).get("y"));

    @Test
    void eachLayerGetsTheFewestBitsWithinTheToleranceAndStricterMeansNoFewer() {
        SharingBitsSearch.Choice loose = SharingBitsSearch.withTolerance(1e-2).choose(MODEL, FIDELITY);
        SharingBitsSearch.Choice strict = SharingBitsSearch.withTolerance(1e-5).choose(MODEL, FIDELITY);
        assertThat(loose.baseline()).isCloseTo(1.0, within(1e-9));
        for (SharingBitsSearch.Choice choice : List.of(loose, strict)) {
            double tolerance = choice == loose ? 1e-2 : 1e-5;
            assertThat(choice.layers()).extracting(SharingBitsSearch.LayerChoice::tensor)
                    .containsExactly("w_conv", "w_fc1", "w_fc2");
            for (SharingBitsSearch.LayerChoice layer : choice.layers()) {
                // tried from 2 bits up, every width before the chosen one cost more than the tolerance
                assertThat(layer.scores().keySet()).first().isEqualTo(2);
                assertThat(layer.scores().keySet()).containsExactlyElementsOf(
                        IntStream.rangeClosed(2, layer.bits()).boxed().toList());
                layer.scores().forEach((bits, score) -> {
                    boolean within = choice.baseline() - score <= tolerance;
                    if (bits < layer.bits()) {
                        assertThat(within).as("%s at %d bits", layer.tensor(), bits).isFalse();
                    } else {
                        // the chosen width is within the tolerance, unless no width was and the search took 8 bits
                        assertThat(within || bits == 8).as("%s at %d bits", layer.tensor(), bits).isTrue();
                    }
                });
                assertThat(layer.scores()).containsKey(layer.bits());
                // the bits written are those chosen alone, or more where the layers together cost too much
                assertThat(choice.bits().perTensor().get(layer.tensor())).isGreaterThanOrEqualTo(layer.bits());
            }
        }
        for (int i = 0; i < 3; i++) {
            assertThat(strict.layers().get(i).bits()).isGreaterThanOrEqualTo(loose.layers().get(i).bits());
        }
        // the strict search needs more than 2 bits somewhere on these Gaussian weights: the search is not a constant
        assertThat(strict.layers()).anyMatch(l -> l.bits() > 2);
    }

    @Test
    void theChosenBitsAreWhatTheSharerWrites() {
        SharingBitsSearch.Choice choice = SharingBitsSearch.withTolerance(1e-3).choose(MODEL, FIDELITY);
        ModelProto shared = new WeightSharer(choice.bits()).apply(MODEL, PassContext.withoutData(0)).model();
        OnnxGraph graph = OnnxGraph.of(shared);
        for (SharingBitsSearch.LayerChoice layer : choice.layers()) {
            SharedWeight weight = SharedWeight.find(graph).stream().filter(w -> w.weight().equals(layer.tensor()))
                    .findFirst().orElseThrow();
            assertThat(Tensors.toFloats(graph.initializer(weight.codebook()).orElseThrow()).length)
                    .isLessThanOrEqualTo(1 << choice.bits().perTensor().get(layer.tensor()));
        }
        // the weights a layer's trial scored are exactly the weights the sharer writes for it
        SharingBitsSearch.LayerChoice first = choice.layers().get(0);
        float[] expanded = WeightSharerTest.expanded(shared, first.tensor());
        float[] searched = new WeightSharer(SharingBits.uniform(8))
                .share(Tensors.toFloats(OnnxGraph.of(MODEL).initializer(first.tensor()).orElseThrow()),
                        choice.bits().perTensor().get(first.tensor()))
                .expanded();
        assertThat(expanded).containsExactly(searched);
        // the last measure of all layers together is the score of the model the sharer writes
        assertThat(choice.together().getLast().score()).isCloseTo(FIDELITY.applyAsDouble(shared), within(1e-9));
    }

    @Test
    void theLayersTogetherStayWithinTheToleranceOneBitAtATime() {
        double tolerance = 1e-3;
        SharingBitsSearch.Choice choice = SharingBitsSearch.withTolerance(tolerance).choose(MODEL, FIDELITY);
        List<SharingBitsSearch.Together> together = choice.together();
        Map<String, Integer> alone = new java.util.LinkedHashMap<>();
        choice.layers().forEach(layer -> alone.put(layer.tensor(), layer.bits()));
        assertThat(together.getFirst().raised()).isEmpty();
        assertThat(together.getFirst().bits()).isEqualTo(alone);
        for (int i = 1; i < together.size(); i++) {
            Map<String, Integer> before = together.get(i - 1).bits();
            Map<String, Integer> after = together.get(i).bits();
            String raised = together.get(i).raised();
            assertThat(after.get(raised)).isEqualTo(before.get(raised) + 1);
            after.forEach((tensor, bits) -> {
                if (!tensor.equals(raised)) {
                    assertThat(bits).isEqualTo(before.get(tensor));
                }
            });
            // every step but the last was still over the tolerance
            assertThat(choice.baseline() - together.get(i - 1).score()).isGreaterThan(tolerance);
        }
        assertThat(choice.baseline() - together.getLast().score()).isLessThanOrEqualTo(tolerance);
        assertThat(choice.bits().perTensor()).isEqualTo(together.getLast().bits());
        // on these weights the layers chosen alone cost more than the tolerance together: the second stage ran
        assertThat(together).hasSizeGreaterThan(1);
    }

    @Test
    void refusesBitsOutsideTwoToEight() {
        assertThatThrownBy(() -> new SharingBitsSearch(1, 8, 0.01)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SharingBitsSearch(2, 9, 0.01)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SharingBitsSearch.withTolerance(-0.1)).isInstanceOf(IllegalArgumentException.class);
    }
}
