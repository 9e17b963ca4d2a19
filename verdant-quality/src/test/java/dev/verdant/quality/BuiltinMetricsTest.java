package dev.verdant.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BuiltinMetricsTest {

    private static double measure(String metric, OutputPair... pairs) {
        QualityMetric.Accumulator accumulator = BuiltinMetrics.named(metric).orElseThrow().start();
        for (OutputPair pair : pairs) {
            accumulator.add(pair);
        }
        return accumulator.value();
    }

    private static OutputPair pair(long[] shape, float[] reference, float[] candidate) {
        return new OutputPair("y", shape, 1, reference, candidate);
    }

    @Test
    void cosineIsTheLowestOverExamplesAndItsMeanTheMean() {
        OutputPair same = pair(new long[] {1, 2}, new float[] {1, 0}, new float[] {2, 0});
        OutputPair orthogonal = pair(new long[] {1, 2}, new float[] {1, 0}, new float[] {0, 1});
        assertThat(measure("cos", same, orthogonal)).isCloseTo(0, within(1e-9));
        assertThat(measure("cos-mean", same, orthogonal)).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void absoluteAndRelativeErrorsTakeTheLargestValueAndFloorTinyOriginals() {
        OutputPair p = pair(new long[] {1, 3}, new float[] {100, 2, 0}, new float[] {101, 2.5f, 0.5f});
        assertThat(measure("max-abs", p)).isCloseTo(1, within(1e-6));
        // 0 in the original counts as 1% of the largest magnitude (100): 0.5 / 1
        assertThat(measure("max-rel", p)).isCloseTo(0.5, within(1e-6));
        OutputPair q = pair(new long[] {1, 2}, new float[] {4, -2}, new float[] {4, -1});
        assertThat(measure("max-rel", q)).isCloseTo(0.5, within(1e-6));
        assertThat(measure("max-abs", pair(new long[] {1}, new float[] {1}, new float[] {Float.NaN}))).isNaN();
    }

    @Test
    void argmaxAgreementCountsEveryRowAlongTheLastAxis() {
        // two positions of three classes: the first agrees, the second does not
        OutputPair p = pair(new long[] {1, 2, 3}, new float[] {0.1f, 0.7f, 0.2f, 0.5f, 0.3f, 0.2f},
                new float[] {0.2f, 0.6f, 0.2f, 0.3f, 0.5f, 0.2f});
        assertThat(measure("top1-agree", p)).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void topKOverlapIsTheShareOfTheOriginalsKLargestKept() {
        OutputPair p = pair(new long[] {1, 6}, new float[] {6, 5, 4, 3, 2, 1}, new float[] {6, 5, 1, 3, 2, 4});
        // original's top 3: {0, 1, 2}; candidate's: {0, 1, 5}
        assertThat(measure("top3-overlap", p)).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(measure("top1-overlap", p)).isCloseTo(1, within(1e-9));
        assertThat(BuiltinMetrics.topK(new float[] {1, 3, 3, 2}, 0, 4, 2)).containsExactly(1, 2);
    }

    @Test
    void iouOfThresholdedMapsIsTheLowestOverExamplesAndOneWhenBothAreEmpty() {
        OutputPair half = pair(new long[] {1, 1, 2, 2}, new float[] {0.9f, 0.8f, 0.1f, 0.1f},
                new float[] {0.9f, 0.2f, 0.6f, 0.1f});
        OutputPair empty = pair(new long[] {1, 1, 2, 2}, new float[4], new float[4]);
        // above 0.5: {0, 1} and {0, 2}: one in common of three
        assertThat(measure("iou@0.5", half, empty)).isCloseTo(1.0 / 3, within(1e-9));
        assertThat(measure("iou@0.5", empty)).isEqualTo(1);
        assertThat(measure("iou@0.05", half)).isCloseTo(1, within(1e-9));
    }

    @Test
    void familiesAreNamedByTheirParameterAndOtherNamesAreNotBuiltIn() {
        assertThat(BuiltinMetrics.named("top7-overlap").orElseThrow()).isEqualTo(new BuiltinMetrics.TopKOverlap(7));
        assertThat(BuiltinMetrics.named("iou@0.3").orElseThrow().name()).isEqualTo("iou@0.3");
        assertThat(BuiltinMetrics.named("top0-overlap")).isEmpty();
        assertThat(BuiltinMetrics.named("iou@")).isEmpty();
        assertThat(BuiltinMetrics.named("cosine")).isEmpty();
        assertThat(BuiltinMetrics.reserved("iou@x")).isTrue();
    }
}
