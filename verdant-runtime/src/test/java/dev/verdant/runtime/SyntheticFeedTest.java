package dev.verdant.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SyntheticFeedTest {

    @Test
    void firstDynamicAxisIsTheBatchAndTheOthersTheDynamicDim() {
        SyntheticFeed inputs = new SyntheticFeed(64, 1);
        assertThat(inputs.shapeOf("input_ids", new long[] {-1, -1}, 8)).containsExactly(8, 64);
        assertThat(inputs.shapeOf("image", new long[] {-1, 1, 28, 28}, 4)).containsExactly(4, 1, 28, 28);
        assertThat(inputs.shapeOf("image", new long[] {1, 3, -1, -1}, 1)).containsExactly(1, 3, 64, 64);
    }

    @Test
    void aFixedBatchOtherThanTheOneAskedForIsNamed() {
        assertThatThrownBy(() -> new SyntheticFeed(64, 1).shapeOf("x", new long[] {1, 10}, 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("input 'x' has a fixed batch of 1; use --batch 1");
        assertThatThrownBy(() -> new SyntheticFeed(0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
