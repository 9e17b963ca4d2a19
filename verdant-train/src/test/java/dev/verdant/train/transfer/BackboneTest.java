package dev.verdant.train.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.train.zoo.LeNet5;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Cutting the zoo's LeNet-5: the default cut, named cuts, the layers counted back, and the one-line errors. */
class BackboneTest {

    private final ModelProto lenet = LeNet5.standard(3).build();

    @Test
    void defaultCutIsTheInputOfTheLastClassifierLayerAndDropsIt() {
        Backbone backbone = Backbone.cut(lenet, Optional.empty());
        OnnxGraph source = OnnxGraph.of(lenet);
        String fc3Input = source.nodes().stream().filter(n -> n.getName().equals("fc3")).findFirst().orElseThrow()
                .getInput(0);
        assertThat(backbone.featureTensor()).isEqualTo(fc3Input);
        OnnxGraph cut = OnnxGraph.of(backbone.model());
        assertThat(cut.outputs()).extracting(v -> v.getName()).containsExactly(fc3Input);
        assertThat(cut.initializers()).doesNotContainKeys("fc3.weight", "fc3.bias").containsKeys("fc2.weight");
        assertThat(backbone.layers()).extracting(l -> l.nodes().get(0)).containsExactly("conv1", "conv2", "fc1", "fc2");
        assertThat(backbone.parametersOfLastLayers(1)).containsExactly("fc2.weight", "fc2.bias");
        assertThat(backbone.parametersOfLastLayers(4)).hasSize(8);
        assertThatThrownBy(() -> backbone.parametersOfLastLayers(5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot unfreeze the last 5 layers: the backbone has 4 parameterized layers before its cut");
    }

    @Test
    void aNodeNameCutsAtItsOutput() {
        Backbone backbone = Backbone.cut(lenet, Optional.of("conv2"));
        assertThat(backbone.featureTensor()).isEqualTo("conv2");
        assertThat(backbone.layers()).hasSize(2);
        assertThat(OnnxGraph.of(backbone.model()).initializers()).containsOnlyKeys("conv1.weight", "conv1.bias",
                "conv2.weight", "conv2.bias");
    }

    @Test
    void unknownCutNamesTheNearestCandidates() {
        assertThatThrownBy(() -> Backbone.cut(lenet, Optional.of("conv3")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no tensor or node named 'conv3' to cut at; nearest: [conv")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> Backbone.cut(lenet, Optional.of("fc1.weight")))
                .hasMessageContaining("it is a weight");
    }

    @Test
    void candidateCutsAreTheActivationsAndPoolingsBeforeTheClassifierEndingAtTheDefaultCut() {
        String defaultCut = Backbone.cut(lenet, Optional.empty()).featureTensor();
        java.util.List<String> candidates = Backbone.candidateCuts(lenet);
        assertThat(candidates).containsExactly("Relu", "MaxPool", "Relu_1", "MaxPool_1", "Relu_2", defaultCut);
        OnnxGraph graph = OnnxGraph.of(lenet);
        // each one is cut at, and none lies after the classifier's input (the logits are not a candidate)
        for (String candidate : candidates) {
            assertThat(Backbone.cut(lenet, Optional.of(candidate)).featureTensor()).isEqualTo(candidate);
        }
        assertThat(candidates).doesNotContain(graph.outputs().get(0).getName());
    }

    @Test
    void nearestRanksByEditDistance() {
        assertThat(Backbone.nearest("Relu_9", java.util.Set.of("Relu_1", "conv1", "Flatten", "fc2"), 2))
                .containsExactly("Relu_1", "conv1");
    }
}
