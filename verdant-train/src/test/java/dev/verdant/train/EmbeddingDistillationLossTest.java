package dev.verdant.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** The embedding-distillation loss and the mean pooling it is computed on. */
class EmbeddingDistillationLossTest {

    private final TrainingLoss loss = new TrainingLoss.EmbeddingDistillation();

    @Test
    void isOneMinusCosineAveragedOverTheBatchAndIgnoresScale() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray student = manager.create(new float[] {1, 0, 3, 4}, new Shape(2, 2));
            // row 0 orthogonal (cosine 0), row 1 the same direction at 10x the norm (cosine 1)
            NDArray teacher = manager.create(new float[] {0, 2, 30, 40}, new Shape(2, 2));
            assertThat(loss.compute(student, null, teacher).getFloat()).isCloseTo(0.5f, within(1e-6f));
            assertThat(loss.compute(teacher, null, teacher).getFloat()).isCloseTo(0f, within(1e-6f));
            assertThat(loss.poolsTokens()).isTrue();
            assertThat(loss.needsTeacher()).isFalse();
        }
    }

    @Test
    void meanPoolingAveragesOnlyRealTokens() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            // 2 texts x 3 positions x 2 features; the second text has one real token, the rest is padding
            NDArray hidden = manager.create(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 100, 100, 100, 100},
                    new Shape(2, 3, 2));
            NDArray mask = manager.create(new long[] {1, 1, 0, 1, 0, 0}, new Shape(2, 3));
            assertThat(TrainingLoss.meanPooled(hidden, mask).toFloatArray()).containsExactly(2, 3, 7, 8);
        }
    }
}
