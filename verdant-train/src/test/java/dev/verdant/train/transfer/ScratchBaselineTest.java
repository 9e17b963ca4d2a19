package dev.verdant.train.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.Tensors;
import dev.verdant.train.zoo.Activation;
import dev.verdant.train.zoo.LeNet5;
import org.junit.jupiter.api.Test;

/** Re-drawing every weight of a LeNet-5 with batch normalisation, as the scratch baseline starts. */
class ScratchBaselineTest {

    @Test
    void everyWeightIsRedrawnWithItsFanInAndNormalisationIsReset() {
        ModelProto model = new LeNet5(10, Activation.RELU, true, 3).build();
        ModelProto fresh = ScratchBaseline.reinitialize(model, 11);
        OnnxGraph before = OnnxGraph.of(model);
        OnnxGraph after = OnnxGraph.of(fresh);
        assertThat(after.initializers().keySet()).isEqualTo(before.initializers().keySet());
        assertThat(after.nodes()).isEqualTo(before.nodes());

        float[] conv2 = Tensors.toFloats(after.initializer("conv2.weight").orElseThrow());   // [16, 6, 5, 5]
        assertThat(conv2).isNotEqualTo(Tensors.toFloats(before.initializer("conv2.weight").orElseThrow()));
        assertThat(std(conv2)).isCloseTo(Math.sqrt(2.0 / (6 * 5 * 5)), within(0.02));
        float[] fc1 = Tensors.toFloats(after.initializer("fc1.weight").orElseThrow());       // Gemm transB: [120, 400]
        assertThat(std(fc1)).isCloseTo(Math.sqrt(2.0 / 400), within(0.005));
        assertThat(Tensors.toFloats(after.initializer("fc1.bias").orElseThrow())).containsOnly(0f);
        assertThat(Tensors.toFloats(after.initializer("bn2.weight").orElseThrow())).containsOnly(1f);
        assertThat(Tensors.toFloats(after.initializer("bn2.running_var").orElseThrow())).containsOnly(1f);
        assertThat(Tensors.toFloats(after.initializer("bn2.running_mean").orElseThrow())).containsOnly(0f);
        // a seed fixes the draw
        assertThat(ScratchBaseline.reinitialize(model, 11)).isEqualTo(fresh);
    }

    private static double std(float[] values) {
        double mean = 0;
        for (float v : values) {
            mean += v;
        }
        mean /= values.length;
        double squares = 0;
        for (float v : values) {
            squares += (v - mean) * (v - mean);
        }
        return Math.sqrt(squares / values.length);
    }
}
