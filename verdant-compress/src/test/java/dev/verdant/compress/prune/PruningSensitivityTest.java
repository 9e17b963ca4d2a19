package dev.verdant.compress.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.compress.PassContext;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.Tensors;
import dev.verdant.train.zoo.Zoo;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/** The sensitivity analysis and allocation, against a score whose cost per layer is known in closed form. */
class PruningSensitivityTest {

    /** LeNet-300-100's three weights, in initializer order. */
    private static final ModelProto MLP = Zoo.imageClassifier("mlp", 10, 1.0, 3).build();

    private static double zeroFraction(ModelProto model, String tensor) {
        float[] values = Tensors.toFloats(OnnxGraph.of(model).initializer(tensor).orElseThrow());
        long zeros = 0;
        for (float value : values) {
            zeros += value == 0f ? 1 : 0;
        }
        return (double) zeros / values.length;
    }

    @Test
    void theOverallSparsityIsReachedWhereWeightsCostLeast() {
        List<WeightTensor> weights = WeightTensors.find(OnnxGraph.of(MLP), "test");
        assertThat(weights).hasSize(3);
        String fc1 = weights.get(0).name();
        String fc2 = weights.get(1).name();
        String fc3 = weights.get(2).name();
        // the big first layer barely cares until it is nearly empty, the last one loses from its first zero
        ToDoubleFunction<ModelProto> score = model -> 0.9 - 0.05 * Math.pow(zeroFraction(model, fc1), 8)
                - 0.05 * Math.pow(zeroFraction(model, fc2), 2) - 0.2 * zeroFraction(model, fc3);
        PruningSensitivity analysis = PruningSensitivity.measure(MLP, score);
        assertThat(analysis.baseline()).isCloseTo(0.9, within(1e-12));
        assertThat(analysis.layers()).extracting(PruningSensitivity.LayerCurve::tensor).containsExactly(fc1, fc2, fc3);
        assertThat(analysis.layers()).allSatisfy(layer -> assertThat(layer.scores().keySet())
                .containsExactlyElementsOf(PruningSensitivity.GRID));
        // the layer pruned alone: fc3 at 50 % costs 0.1
        assertThat(analysis.layers().get(2).scores().get(0.5)).isCloseTo(0.8, within(1e-3));

        PruningSensitivity.Allocation allocation = analysis.allocate(0.9);
        Map<String, Double> sparsity = allocation.sparsities();
        assertThat(allocation.overall()).isCloseTo(0.9, within(1e-9));
        assertThat(sparsity.get(fc1)).isGreaterThan(sparsity.get(fc2));
        assertThat(sparsity.get(fc2)).isPositive();
        // the output layer loses 0.2 per unit of sparsity over only 1,000 weights: the dearest weights to remove
        assertThat(sparsity.get(fc3)).isZero();
        // a lower overall target is a prefix of the same moves: no layer pruned more
        PruningSensitivity.Allocation lighter = analysis.allocate(0.5);
        assertThat(lighter.overall()).isCloseTo(0.5, within(1e-9));
        assertThat(lighter.cost()).isLessThanOrEqualTo(allocation.cost());
        for (String tensor : List.of(fc1, fc2, fc3)) {
            assertThat(lighter.sparsities().get(tensor)).isLessThanOrEqualTo(sparsity.get(tensor));
        }
        assertThatThrownBy(() -> analysis.allocate(0.999)).isInstanceOf(IllegalArgumentException.class);

        // magnitude pruning with the allocation as its target gives each layer its own sparsity
        ModelProto pruned = new MagnitudePruner(allocation.asTarget()).apply(MLP, PassContext.withoutData(1)).model();
        for (String tensor : List.of(fc1, fc2, fc3)) {
            assertThat(zeroFraction(pruned, tensor)).as(tensor).isCloseTo(sparsity.get(tensor), within(2e-3));
        }
    }
}
