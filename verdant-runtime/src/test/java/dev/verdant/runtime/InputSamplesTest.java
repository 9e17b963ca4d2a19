package dev.verdant.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InputSamplesTest {

    private static InputSamples of(float last) {
        return new InputSamples("2 files", List.of(
                InputSample.single("a.npy", Map.of("x", InputTensor.ofFloats(new long[] {1, 2}, new float[] {1, 2}))),
                InputSample.single("b.npy", Map.of("x", InputTensor.ofFloats(new long[] {1, 2}, new float[] {3, last})))));
    }

    @Test
    void theDigestFollowsTheValuesNotTheDescription() {
        assertThat(of(4).digest()).isEqualTo(of(4).digest()).hasSize(64);
        assertThat(of(4.0001f).digest()).isNotEqualTo(of(4).digest());
        // the same values in another shape, or as another type, are other inputs
        InputSamples reshaped = new InputSamples("2 files", List.of(
                InputSample.single("a.npy", Map.of("x", InputTensor.ofFloats(new long[] {2, 1}, new float[] {1, 2}))),
                InputSample.single("b.npy", Map.of("x", InputTensor.ofFloats(new long[] {1, 2}, new float[] {3, 4})))));
        assertThat(reshaped.digest()).isNotEqualTo(of(4).digest());
        InputSamples longs = new InputSamples("2 files", List.of(
                InputSample.single("a.npy", Map.of("x", InputTensor.ofLongs(new long[] {1, 2}, new long[] {1, 2}))),
                InputSample.single("b.npy", Map.of("x", InputTensor.ofLongs(new long[] {1, 2}, new long[] {3, 4})))));
        assertThat(longs.digest()).isNotEqualTo(of(4).digest());
    }
}
