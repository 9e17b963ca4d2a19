package dev.verdant.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BatchTensorsTest {


    @Test
    void shapeFollowsTheModelInput() {
        long[] image = {1, 28, 28};
        assertThat(BatchTensors.inputShape(image, 8, new long[] {-1, 1, 28, 28})).containsExactly(8, 1, 28, 28);
        assertThat(BatchTensors.inputShape(image, 8, new long[] {-1, 784})).containsExactly(8, 784);
        assertThat(BatchTensors.inputShape(image, 8, new long[] {-1, -1})).containsExactly(8, 784);
        assertThat(BatchTensors.inputShape(image, 8, new long[] {-1, 1, -1, -1})).containsExactly(8, 1, 28, 28);
        assertThat(BatchTensors.inputShape(image, 8, new long[] {8, 28, 28})).containsExactly(8, 28, 28);
        assertThat(BatchTensors.inputShape(new long[] {784}, 2, new long[] {-1, 1, 28, 28})).containsExactly(2, 1, 28, 28);
    }

    @Test
    void shapesThatCannotHoldTheSampleAreRejectedNamingBoth() {
        long[] image = {1, 28, 28};
        assertThatThrownBy(() -> BatchTensors.inputShape(image, 8, new long[] {-1, 3, 32, 32}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the model input [?,3,32,32] takes 3072 values per sample, but the data's samples are "
                        + "[1,28,28] (784 values)");
        assertThatThrownBy(() -> BatchTensors.inputShape(image, 5, new long[] {4, 784}))
                .hasMessageContaining("fixed batch size of 4, but the batch holds 5 samples");
        assertThatThrownBy(() -> BatchTensors.inputShape(image, 5, new long[] {-1, -1, -1}))
                .hasMessageContaining("more than one dynamic dimension");
        assertThatThrownBy(() -> BatchTensors.inputShape(image, 5, new long[] {-1, 100, -1}))
                .hasMessageContaining("takes");
        assertThatThrownBy(() -> BatchTensors.inputShape(image, 5, new long[0])).hasMessageContaining("scalar");
    }
}
