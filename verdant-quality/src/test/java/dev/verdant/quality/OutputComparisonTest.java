package dev.verdant.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.verdant.runtime.OrtRunner.Output;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OutputComparisonTest {

    @Test
    void aBatchIsCutIntoItsExamplesAndEachOutputGetsItsKindsMeasures() {
        OutputComparison comparison = new OutputComparison(ToleranceSet.defaults(), MetricRegistry.standard());
        // two examples of three logits: the second flips its argmax
        Output before = new Output(new long[] {2, 3}, new float[] {1, 5, 2, 3, 1, 2});
        Output after = new Output(new long[] {2, 3}, new float[] {1, 5, 2, 1, 1, 2});
        comparison.addBatch(Map.of("logits", before), Map.of("logits", after), 2);

        OutputQuality logits = comparison.result().get(0);
        assertThat(logits.kind()).isEqualTo(OutputKind.LOGITS);
        assertThat(logits.examples()).isEqualTo(2);
        assertThat(logits.measures()).containsKeys("cos", "cos-mean", "max-abs", "max-rel", "top1-agree")
                .doesNotContainKey("iou@0.5");
        assertThat(logits.measures().get("top1-agree")).isCloseTo(0.5, within(1e-9));
        assertThat(logits.measures().get("max-abs")).isCloseTo(2, within(1e-9));
        assertThat(logits.verdicts()).singleElement().satisfies(v -> {
            assertThat(v.tolerance().describe()).isEqualTo("logits=top1-agree>=0.99");
            assertThat(v.byDefault()).isTrue();
            assertThat(v.passed()).isFalse();
        });
    }

    @Test
    void aSequenceIsOneExampleOverEveryStepAndStateOutputsHaveNoDefault() {
        OutputComparison comparison = new OutputComparison(new ToleranceSet(List.of(), Set.of("stateN")),
                MetricRegistry.standard());
        List<Map<String, Output>> before = List.of(
                Map.of("p", new Output(new long[] {1, 1}, new float[] {0.1f}),
                        "stateN", new Output(new long[] {1, 2}, new float[] {1, 2})),
                Map.of("p", new Output(new long[] {1, 1}, new float[] {0.9f}),
                        "stateN", new Output(new long[] {1, 2}, new float[] {2, 3})));
        List<Map<String, Output>> after = List.of(
                Map.of("p", new Output(new long[] {1, 1}, new float[] {0.12f}),
                        "stateN", new Output(new long[] {1, 2}, new float[] {1, 2})),
                Map.of("p", new Output(new long[] {1, 1}, new float[] {0.8f}),
                        "stateN", new Output(new long[] {1, 2}, new float[] {2, 3})));
        comparison.addSequence(before, after);

        OutputQuality p = comparison.result().stream().filter(o -> o.output().equals("p")).findFirst().orElseThrow();
        assertThat(p.examples()).isEqualTo(1);
        assertThat(p.kind()).isEqualTo(OutputKind.PROBABILITY);
        // the second step's error: over the whole sequence, not the last step alone
        assertThat(p.measures().get("max-abs")).isCloseTo(0.1, within(1e-6));
        assertThat(p.passed()).isFalse();
        OutputQuality state = comparison.result().stream().filter(o -> o.output().equals("stateN")).findFirst()
                .orElseThrow();
        assertThat(state.verdicts()).isEmpty();
        assertThat(state.measures().get("cos")).isCloseTo(1, within(1e-9));
    }
}
