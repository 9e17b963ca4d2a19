package dev.verdant.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verdant.report.ParetoFront.Objective;
import dev.verdant.report.ParetoFront.Objectives;
import dev.verdant.report.Report.Candidate;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParetoFrontTest {

    private static Candidate candidate(String name, Double accuracy, Double joules, Double millis, Long bytes) {
        return new Candidate(name, "m", "", accuracy, "accuracy", bytes, millis, null, null, null, null, joules, null,
                "estimated", false);
    }

    private static List<String> front(List<Candidate> flagged) {
        return flagged.stream().filter(Candidate::pareto).map(Candidate::name).toList();
    }

    @Test
    void keepsExactlyTheCandidatesNoOtherBeatsOnBothObjectives() {
        List<Candidate> candidates = List.of(
                candidate("fp32", 0.91, 0.080, null, null),
                candidate("int8", 0.90, 0.030, null, null),
                candidate("pruned", 0.88, 0.050, null, null), // worse than int8 on both
                candidate("tiny", 0.70, 0.010, null, null),
                candidate("int8-copy", 0.90, 0.030, null, null)); // ties int8: neither dominates the other
        List<Candidate> flagged = ParetoFront.flag(candidates, new Objectives(Objective.ENERGY, Objective.ACCURACY));
        assertThat(front(flagged)).containsExactly("fp32", "int8", "tiny", "int8-copy");
    }

    @Test
    void lowerIsBetterOnBothAxesWhenNoAccuracyIsKnown() {
        List<Candidate> candidates = List.of(
                candidate("a", null, 0.030, 20.0, 1L),
                candidate("b", null, 0.040, 10.0, 1L),
                candidate("c", null, 0.050, 30.0, 1L));
        Objectives objectives = ParetoFront.choose(candidates).orElseThrow();
        assertThat(objectives).isEqualTo(new Objectives(Objective.ENERGY, Objective.LATENCY));
        assertThat(front(ParetoFront.flag(candidates, objectives))).containsExactly("a", "b");
    }

    @Test
    void choosesAccuracyUpAndEnergyAcrossWhenBothAreKnown() {
        List<Candidate> candidates = List.of(candidate("a", 0.9, 0.03, 20.0, 5L), candidate("b", 0.8, 0.02, 10.0, 4L));
        assertThat(ParetoFront.choose(candidates)).contains(new Objectives(Objective.ENERGY, Objective.ACCURACY));
    }

    @Test
    void noChartWithoutTwoFiguresKnownForEveryCandidate() {
        List<Candidate> candidates = List.of(candidate("a", null, 0.03, null, null), candidate("b", null, null, 1.0, null));
        assertThat(ParetoFront.choose(candidates)).isEmpty();
        assertThat(ParetoFront.choose(List.of())).isEmpty();
        assertThatThrownBy(() -> new Objectives(Objective.SIZE, Objective.SIZE))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
