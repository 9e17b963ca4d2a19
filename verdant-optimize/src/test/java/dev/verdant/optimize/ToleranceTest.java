package dev.verdant.optimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verdant.optimize.Tolerance.AccuracyDrop;
import dev.verdant.optimize.Tolerance.MinFidelity;
import dev.verdant.report.Search.Quality;
import org.junit.jupiter.api.Test;

class ToleranceTest {

    private static Quality accuracy(double candidate, double original) {
        return new Quality(candidate, original, null, null, 1000, null);
    }

    @Test
    void percentIsRelativeToTheOriginalAsInNeuralCompressor() {
        AccuracyDrop relative = AccuracyDrop.parse("1%");
        assertThat(relative).isEqualTo(new AccuracyDrop(1, true));
        // 1% of 80% is 0.8 points
        assertThat(relative.holds(accuracy(0.793, 0.80))).isTrue();
        assertThat(relative.holds(accuracy(0.791, 0.80))).isFalse();
    }

    @Test
    void pointsAreAbsolute() {
        assertThat(AccuracyDrop.parse("1pt")).isEqualTo(new AccuracyDrop(1, false));
        assertThat(AccuracyDrop.parse("0.5")).isEqualTo(new AccuracyDrop(0.5, false));
        AccuracyDrop onePoint = AccuracyDrop.parse("1pt");
        assertThat(onePoint.holds(accuracy(0.791, 0.80))).isTrue();
        assertThat(onePoint.holds(accuracy(0.789, 0.80))).isFalse();
        assertThat(new AccuracyDrop(0, false).holds(accuracy(0.8, 0.8))).isTrue();
    }

    @Test
    void anUnmeasuredAccuracyNeverHolds() {
        assertThat(AccuracyDrop.parse("5%").holds(new Quality(null, null, 1.0, 1.0, 10, null))).isFalse();
        assertThat(new MinFidelity(0.99).holds(new Quality(0.9, 0.9, null, null, 10, null))).isFalse();
    }

    @Test
    void fidelityComparesTheLowestCosine() {
        MinFidelity tolerance = new MinFidelity(0.99);
        assertThat(tolerance.holds(new Quality(null, null, 0.991, 0.999, 128, null))).isTrue();
        assertThat(tolerance.holds(new Quality(null, null, 0.989, 0.999, 128, null))).isFalse();
    }

    @Test
    void badValuesFailWithOneLine() {
        assertThatThrownBy(() -> AccuracyDrop.parse("one percent")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--max-accuracy-drop");
        assertThatThrownBy(() -> AccuracyDrop.parse("-1%")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MinFidelity(1.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
