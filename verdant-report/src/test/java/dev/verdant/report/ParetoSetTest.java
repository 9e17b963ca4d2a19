package dev.verdant.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verdant.report.ParetoSet.Criterion;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParetoSetTest {

    /** A constructed candidate: accuracy (higher is better), joules and bytes (lower is better). */
    record Point(String name, Double accuracy, double joules, double bytes) {
    }

    private static final List<Criterion<Point>> CRITERIA = List.of(Criterion.higher(Point::accuracy),
            Criterion.lower(Point::joules), Criterion.lower(Point::bytes));

    @Test
    void keepsExactlyTheUndominatedTradeOffs() {
        Point original = new Point("original", 0.90, 10, 100);
        Point int8 = new Point("int8", 0.89, 4, 25);
        Point int8Worse = new Point("int8-bad-calibration", 0.85, 4, 25);   // dominated by int8
        Point shared = new Point("share:4bit", 0.80, 12, 15);               // smallest: on the front
        Point slowCopy = new Point("fused-but-slow", 0.90, 11, 100);        // dominated by original
        List<Point> front = ParetoSet.front(List.of(original, int8, int8Worse, shared, slowCopy), CRITERIA);
        assertThat(front).extracting(Point::name).containsExactly("original", "int8", "share:4bit");
    }

    @Test
    void equalPointsDoNotKnockEachOtherOut() {
        Point a = new Point("a", 0.9, 1, 1);
        Point b = new Point("b", 0.9, 1, 1);
        assertThat(ParetoSet.front(List.of(a, b), CRITERIA)).containsExactly(a, b);
        assertThat(ParetoSet.dominates(a, b, CRITERIA)).isFalse();
    }

    @Test
    void anUnknownFigureLosesToAKnownOne() {
        Point measured = new Point("measured", 0.5, 1, 1);
        Point unmeasured = new Point("unmeasured", null, 1, 1);
        assertThat(ParetoSet.front(List.of(unmeasured, measured), CRITERIA)).containsExactly(measured);
    }

    @Test
    void betterOnOneWorseOnAnotherIsNoDomination() {
        Point fast = new Point("fast", 0.80, 1, 50);
        Point accurate = new Point("accurate", 0.95, 9, 50);
        assertThat(ParetoSet.dominates(fast, accurate, CRITERIA)).isFalse();
        assertThat(ParetoSet.dominates(accurate, fast, CRITERIA)).isFalse();
        assertThat(ParetoSet.front(List.of(fast, accurate), CRITERIA)).hasSize(2);
    }

    @Test
    void refusesAnEmptyCriterionList() {
        assertThatThrownBy(() -> ParetoSet.front(List.of(new Point("a", 1.0, 1, 1)), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
