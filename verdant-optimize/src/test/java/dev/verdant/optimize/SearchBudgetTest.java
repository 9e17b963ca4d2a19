package dev.verdant.optimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SearchBudgetTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void capsTheNumberOfCandidates() {
        SearchBudget budget = SearchBudget.of(Duration.ofHours(1)).withMaxCandidates(3);
        assertThat(budget.allowsAnother(0, 2, SECOND)).isTrue();
        assertThat(budget.allowsAnother(0, 3, SECOND)).isFalse();
    }

    @Test
    void startsNoCandidateItExpectsToOverrun() {
        SearchBudget budget = SearchBudget.of(Duration.ofSeconds(60));
        assertThat(budget.allowsAnother(40 * SECOND, 4, 10 * SECOND)).isTrue();
        assertThat(budget.allowsAnother(55 * SECOND, 5, 10 * SECOND)).isFalse();
        assertThat(budget.allowsAnother(61 * SECOND, 0, 0)).isFalse();
    }

    @Test
    void refusesAnEmptyBudget() {
        assertThatThrownBy(() -> SearchBudget.of(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
