package dev.verdant.compress.share;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdant.compress.pack.TestModels;
import org.junit.jupiter.api.Test;

class ScalarKMeansTest {

    @Test
    void convergedCentroidsAreTheMeansOfTheirClustersAndEveryValueSitsAtItsNearest() {
        float[] values = TestModels.fashionMnistPixels(5000, 0); // real, lumpy: many zeros and bright pixels
        for (int i = 0; i < values.length; i++) {
            values[i] += (i % 7) * 1e-3f; // break the 256 pixel levels into more distinct values
        }
        ScalarKMeans.Clustering result = new ScalarKMeans().fit(values, 8);
        assertThat(result.converged()).isTrue();
        assertThat(result.centroids()).hasSize(8).isSorted();
        double[] sums = new double[8];
        int[] counts = new int[8];
        for (int i = 0; i < values.length; i++) {
            int c = result.assignment()[i];
            sums[c] += values[i];
            counts[c]++;
            for (float centroid : result.centroids()) {
                assertThat(Math.abs(values[i] - result.centroids()[c]))
                        .isLessThanOrEqualTo(Math.abs(values[i] - centroid) + 1e-6f);
            }
        }
        for (int c = 0; c < 8; c++) {
            if (counts[c] > 0) {
                assertThat(result.centroids()[c]).isCloseTo((float) (sums[c] / counts[c]),
                        org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
    }

    @Test
    void linearInitializationSpansMinToMax() {
        float[] values = {-1f, -0.9f, 0f, 0.1f, 0.2f, 5f};
        // linear init for k = 4: -1, 1, 3, 5; the midpoints 0, 2 and 4 split the values into
        // {-1, -0.9, 0}, {0.1, 0.2}, {} and {5}; the empty cluster keeps its initial centroid 3
        ScalarKMeans.Clustering oneStep = new ScalarKMeans(1).fit(values, 4);
        assertThat(oneStep.centroids()).containsExactly(new float[] {-1.9f / 3, 0.15f, 3f, 5f},
                org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(oneStep.iterations()).isEqualTo(1);
        assertThat(oneStep.converged()).isFalse();
    }

    @Test
    void fewerDistinctValuesThanClustersAreKeptExactly() {
        float[] values = {0.5f, -0.25f, 0.5f, 3f};
        ScalarKMeans.Clustering result = new ScalarKMeans().fit(values, 16);
        assertThat(result.centroids()).containsExactly(-0.25f, 0.5f, 3f);
        assertThat(result.assignment()).containsExactly(1, 0, 1, 2);
    }
}
