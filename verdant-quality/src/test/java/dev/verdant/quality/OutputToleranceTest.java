package dev.verdant.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OutputToleranceTest {

    @Test
    void parsesBothDirectionsAndOutputNamesHoldingEquals() {
        assertThat(OutputTolerance.parse("logits=top1-agree>=0.995"))
                .isEqualTo(new OutputTolerance("logits", "top1-agree", true, 0.995));
        assertThat(OutputTolerance.parse(" output = max-abs <= 2e-2 "))
                .isEqualTo(new OutputTolerance("output", "max-abs", false, 0.02));
        assertThat(OutputTolerance.parse("a=b=iou@0.3>=0.9")).isEqualTo(new OutputTolerance("a=b", "iou@0.3", true,
                0.9));
        assertThat(OutputTolerance.parse("y=cos>=0.99").describe()).isEqualTo("y=cos>=0.99");
        assertThat(OutputTolerance.parse("y=cos>=1").bound()).isEqualTo("cos>=1");
    }

    @Test
    void holdsIsInclusiveAndNeverForNaN() {
        OutputTolerance atLeast = OutputTolerance.parse("y=cos>=0.99");
        assertThat(atLeast.holds(0.99)).isTrue();
        assertThat(atLeast.holds(0.98)).isFalse();
        assertThat(atLeast.holds(Double.NaN)).isFalse();
        assertThat(OutputTolerance.parse("y=max-abs<=0.1").holds(Double.NaN)).isFalse();
    }

    @Test
    void malformedTextIsOneLineWithTheSyntax() {
        for (String bad : List.of("y=cos", "cos>=0.9", "=cos>=0.9", "y=>=0.9", "y=cos>=abc", "y=cos>=NaN",
                "y=cos>=Infinity", "y=cos>=1f")) {
            assertThatThrownBy(() -> OutputTolerance.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("--tolerance").satisfies(e -> assertThat(e.getMessage()).doesNotContain(
                            "\n"));
        }
    }

    @Test
    void anUnknownOutputOrMetricNamesTheNearestValidOne() {
        MetricRegistry metrics = MetricRegistry.standard();
        ToleranceSet output = new ToleranceSet(List.of(OutputTolerance.parse("logit=cos>=0.9")), Set.of());
        assertThatThrownBy(() -> output.validate(List.of("logits", "maps"), metrics))
                .hasMessage("--tolerance logit=cos>=0.9: the model has no output 'logit'; did you mean 'logits'?");
        ToleranceSet metric = new ToleranceSet(List.of(OutputTolerance.parse("logits=top1-agreement>=0.9")),
                Set.of());
        assertThatThrownBy(() -> metric.validate(List.of("logits"), metrics))
                .hasMessageContaining("unknown metric 'top1-agreement'; did you mean 'top1-agree'?");
    }

    @Test
    void defaultsFollowTheKindAndSpareStateOutputs() {
        ToleranceSet defaults = new ToleranceSet(List.of(), Set.of("stateN"));
        assertThat(defaults.forOutput("output", OutputKind.PROBABILITY)).extracting(OutputTolerance::describe)
                .containsExactly("output=max-abs<=0.05");
        assertThat(defaults.forOutput("stateN", OutputKind.FEATURES)).isEmpty();
        ToleranceSet stated = new ToleranceSet(List.of(OutputTolerance.parse("a=cos>=0.9")), Set.of());
        assertThat(stated.forOutput("b", OutputKind.LOGITS)).isEmpty();
    }

    @Test
    void kindsAreJudgedFromShapeAndRange() {
        assertThat(OutputKind.of(new long[] {1, 10}, -3, 7, false)).isEqualTo(OutputKind.LOGITS);
        assertThat(OutputKind.of(new long[] {1, 10}, 0, 0.8, true)).isEqualTo(OutputKind.LOGITS); // softmax
        // a BERT pooler's tanh output (MiniLM's second output, 1x384) or a normalized embedding: not class scores
        assertThat(OutputKind.of(new long[] {1, 384}, -0.99, 0.98, false)).isEqualTo(OutputKind.FEATURES);
        assertThat(OutputKind.of(new long[] {1, 40, 6625}, 0, 1, true)).isEqualTo(OutputKind.CLASS_SEQUENCE);
        assertThat(OutputKind.of(new long[] {1, 40, 384}, -2, 2, false)).isEqualTo(OutputKind.FEATURES);
        assertThat(OutputKind.of(new long[] {1, 1, 64, 64}, 0, 1, false)).isEqualTo(OutputKind.PROBABILITY_MAP);
        assertThat(OutputKind.of(new long[] {1, 1, 64, 64}, -1, 4, false)).isEqualTo(OutputKind.FEATURES);
        assertThat(OutputKind.of(new long[] {1, 1}, 0, 0.9, false)).isEqualTo(OutputKind.PROBABILITY);
        assertThat(OutputKind.of(new long[] {1}, -5, 9, false)).isEqualTo(OutputKind.SCORE);
    }
}
