package dev.verdant.compress.quantize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WeightQuantizerTest {

    @Test
    void perColumnScalesMapEachColumnsLargestMagnitudeTo127() {
        // 2 rows x 3 columns; column maxima 2, 0.5, 0 (an all-zero column still gets a positive scale)
        float[] w = {2f, -0.25f, 0f, -1f, 0.5f, 0f};
        WeightQuantizer.Quantized q = WeightQuantizer.quantizeColumns(w, 2, 3, true);
        assertThat(q.scales()).containsExactly(2f / 127, 0.5f / 127, 1f);
        assertThat(q.codes()).containsExactly((byte) 127, (byte) -64, (byte) 0, (byte) -64, (byte) 127, (byte) 0);
        for (int i = 0; i < w.length; i++) {
            assertThat(Math.abs(q.dequantize(i, i % 3) - w[i])).isLessThanOrEqualTo(q.scales()[i % 3] / 2 + 1e-7f);
        }
    }

    @Test
    void perTensorUsesOneScale() {
        WeightQuantizer.Quantized q = WeightQuantizer.quantizeColumns(new float[] {1f, -4f}, 1, 2, false);
        assertThat(q.scales()).containsExactly(4f / 127);
        assertThat(q.codes()).containsExactly((byte) 32, (byte) -127);
    }

    @Test
    void axisZeroIsOneScalePerOutputChannelOfAConvKernel() {
        // kernel [2, 1, 1, 2]: channel 0 holds 1, -3; channel 1 holds 0.5, 0.25
        WeightQuantizer.Quantized q = WeightQuantizer.quantizeAxis(new float[] {1f, -3f, 0.5f, 0.25f},
                new long[] {2, 1, 1, 2}, 0);
        assertThat(q.scales()).containsExactly(3f / 127, 0.5f / 127);
        assertThat(q.codes()).containsExactly((byte) 42, (byte) -127, (byte) 127, (byte) 64);
    }
}
