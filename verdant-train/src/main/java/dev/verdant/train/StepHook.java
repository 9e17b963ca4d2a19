package dev.verdant.train;

import ai.djl.ndarray.NDArray;
import dev.verdant.train.graph.GraphParameter;

/**
 * Adjusts each trainable parameter around the optimizer update of a training step, for methods that constrain the
 * weights while they train: pruning keeps its masks (zeroes the gradients of pruned weights and re-applies the mask
 * after the update, since momentum could otherwise move a pruned weight), and weight sharing fine-tunes centroids by
 * replacing each weight's gradient with the summed gradient of its cluster. Both methods default to doing nothing.
 */
public interface StepHook {

    /** A hook that leaves every step as it is. */
    StepHook NONE = new StepHook() {
    };

    /**
     * Called for each trainable parameter after the backward pass and before its update; may change
     * {@code gradient} in place (it is the array the optimizer reads).
     */
    default void beforeUpdate(GraphParameter parameter, NDArray gradient) {
    }

    /** Called for each trainable parameter after its update; may change {@code parameter.array()} in place. */
    default void afterUpdate(GraphParameter parameter) {
    }
}
