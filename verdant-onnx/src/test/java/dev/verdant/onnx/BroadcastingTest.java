package dev.verdant.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BroadcastingTest {

    @Test
    void trailingDimsAlignAndOnesStretch() {
        assertThat(Broadcasting.shape(new long[] {2, 1, 7, 7}, new long[] {12, 1, 1})).containsExactly(2, 12, 7, 7);
        assertThat(Broadcasting.shape(new long[] {}, new long[] {3, 4})).containsExactly(3, 4);
        assertThat(Broadcasting.shape(new long[] {5, 1}, new long[] {1, 6})).containsExactly(5, 6);
        // a zero-length dim broadcasts against 1, not against another length
        assertThat(Broadcasting.shape(new long[] {0, 3}, new long[] {1, 3})).containsExactly(0, 3);
        assertThatThrownBy(() -> Broadcasting.shape(new long[] {0}, new long[] {2}))
                .hasMessage("[0] and [2] do not broadcast");
        assertThatThrownBy(() -> Broadcasting.shape(new long[] {2, 3}, new long[] {4, 3}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("[2,3] and [4,3] do not broadcast");
    }
}
