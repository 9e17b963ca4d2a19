package dev.verdant.train.fewshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Quantiles against the printed t table (two-sided 95%: the 0.975 quantile) and the normal limit. */
class StudentTTest {

    @Test
    void quantilesMatchTheTable() {
        assertThat(StudentT.quantile(0.975, 1)).isCloseTo(12.7062, within(1e-3));
        assertThat(StudentT.quantile(0.975, 4)).isCloseTo(2.7764, within(1e-4));
        assertThat(StudentT.quantile(0.975, 9)).isCloseTo(2.2622, within(1e-4));
        assertThat(StudentT.quantile(0.975, 30)).isCloseTo(2.0423, within(1e-4));
        assertThat(StudentT.quantile(0.975, 199)).isCloseTo(1.9720, within(1e-4));
        assertThat(StudentT.quantile(0.975, 1e7)).isCloseTo(1.95996, within(1e-4));
        assertThat(StudentT.quantile(0.025, 9)).isCloseTo(-2.2622, within(1e-4));
    }

    @Test
    void cdfIsSymmetricAndHalfAtZero() {
        assertThat(StudentT.cdf(0, 5)).isCloseTo(0.5, within(1e-12));
        assertThat(StudentT.cdf(1.3, 7) + StudentT.cdf(-1.3, 7)).isCloseTo(1, within(1e-12));
        assertThat(StudentT.logGamma(5)).isCloseTo(Math.log(24), within(1e-12));
    }

    @Test
    void rejectsImpossibleArguments() {
        assertThatThrownBy(() -> StudentT.quantile(1, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StudentT.quantile(0.5, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
