package dev.verdant.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    @Test
    void stepDecayDropsByGammaEveryStepSize() {
        var step = new LearningRateSchedule.StepDecay(0.1f, 10, 0.5f);
        assertThat(step.rate(0)).isEqualTo(0.1f);
        assertThat(step.rate(9)).isEqualTo(0.1f);
        assertThat(step.rate(10)).isCloseTo(0.05f, offset(1e-7f));
        assertThat(step.rate(25)).isCloseTo(0.025f, offset(1e-7f));
    }

    @Test
    void cosineStartsAtBaseIsHalfWayAtTheMiddleAndEndsAtEnd() {
        var cosine = new LearningRateSchedule.Cosine(1f, 0f, 100);
        assertThat(cosine.rate(0)).isEqualTo(1f);
        assertThat(cosine.rate(50)).isCloseTo(0.5f, offset(1e-6f));
        assertThat(cosine.rate(25)).isCloseTo((float) (0.5 * (1 + Math.cos(Math.PI / 4))), offset(1e-6f));
        assertThat(cosine.rate(100)).isZero();
        assertThat(cosine.rate(1000)).isZero();
    }

    @Test
    void warmupRisesLinearlyThenHandsOver() {
        var warm = new LearningRateSchedule.Warmup(4, new LearningRateSchedule.Cosine(0.8f, 0f, 10));
        assertThat(warm.rate(0)).isCloseTo(0.2f, offset(1e-7f));
        assertThat(warm.rate(3)).isCloseTo(0.8f, offset(1e-7f));
        assertThat(warm.rate(4)).isCloseTo(0.8f, offset(1e-7f));
        assertThat(warm.rate(9)).isCloseTo(0.4f, offset(1e-6f));
        assertThat(warm.describe()).startsWith("warmup(4 steps) then cosine");
    }

    @Test
    void djlUpdateCountsStartAtOne() {
        var step = new LearningRateSchedule.StepDecay(1f, 1, 0.5f);
        assertThat(step.getNewValue(1)).isEqualTo(1f);
        assertThat(step.getNewValue(2)).isEqualTo(0.5f);
    }

    @Test
    void nonsenseIsRefused() {
        assertThatThrownBy(() -> new LearningRateSchedule.Constant(0f)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LearningRateSchedule.Cosine(0.1f, 0.2f, 10))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
