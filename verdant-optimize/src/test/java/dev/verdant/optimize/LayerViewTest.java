package dev.verdant.optimize;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.compress.PassContext;
import dev.verdant.compress.prune.MagnitudePruner;
import dev.verdant.compress.prune.PruningTarget;
import dev.verdant.compress.share.SharingBits;
import dev.verdant.compress.share.WeightSharer;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.report.Report.LayerRow;
import dev.verdant.train.zoo.Zoo;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class LayerViewTest {

    private static final ModelProto LENET = Zoo.imageClassifier("lenet5", 10, 1.0, 11).build();

    private static long weightedNodes(ModelProto model) {
        return OnnxGraph.of(model).nodes().stream()
                .filter(n -> n.getOpType().equals("Conv") || n.getOpType().equals("Gemm")).count();
    }

    @Test
    void aFloatModelShowsEveryWeightedLayerAt32BitsWithItsMacs() {
        List<LayerRow> layers = LayerView.of(LENET, 0, 1, 1);
        assertThat(layers).hasSize((int) weightedNodes(LENET));
        assertThat(layers).allSatisfy(layer -> {
            assertThat(layer.bits()).isEqualTo(32);
            assertThat(layer.params()).isPositive();
            assertThat(layer.macs()).isPositive();
        });
        assertThat(layers.stream().mapToLong(LayerRow::params).sum()).isLessThan(61_706);   // weights, not biases
    }

    @Test
    void prunedThenSharedWeightsShowTheirZerosAndIndexBits() {
        PassContext none = PassContext.withoutData(0);
        ModelProto pruned = new MagnitudePruner(PruningTarget.parse("0.5")).apply(LENET, none).model();
        ModelProto shared = new WeightSharer(SharingBits.parse("5bit")).apply(pruned, none).model();
        List<LayerRow> layers = LayerView.of(shared, 0, 1, 1);
        assertThat(layers).hasSize((int) weightedNodes(LENET));
        assertThat(layers).allSatisfy(layer -> assertThat(layer.bits()).isEqualTo(5));
        long params = layers.stream().mapToLong(LayerRow::params).sum();
        double zeros = layers.stream().mapToDouble(l -> l.sparsity() * l.params()).sum();
        assertThat(zeros / params).isCloseTo(0.5, Offset.offset(0.05));
    }
}
