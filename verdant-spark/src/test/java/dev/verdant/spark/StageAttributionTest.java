package dev.verdant.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StageAttributionTest {

    @Test
    void eachExecutorsEnergyIsSplitByItsTasksCpuTimeAndJobsSumTheirStages() {
        // executor a: 30 J over stages 0 (1 s CPU) and 1 (2 s); executor b: 12 J, all stage 1; c ran nothing
        StageAttribution.Split split = StageAttribution.split(Map.of("a", 30.0, "b", 12.0, "c", 5.0),
                Map.of("a", Map.of(0, 1_000_000_000L, 1, 2_000_000_000L), "b", Map.of(1, 7L)));
        assertThat(split.joules()).containsEntry(0, 10.0).containsEntry(1, 32.0);
        assertThat(split.byExecutor().get(1)).containsEntry("a", 20.0).containsEntry("b", 12.0);
        assertThat(split.unattributed()).containsExactly(Map.entry("c", 5.0));
        assertThat(split.missingExecutors()).isEmpty();
        assertThat(StageAttribution.jobs(split.joules(), Map.of(0, 0, 1, 1))).containsEntry(0, 10.0)
                .containsEntry(1, 32.0);
        assertThat(StageAttribution.jobs(split.joules(), Map.of(0, 4, 1, 4))).containsExactly(Map.entry(4, 42.0));
    }

    @Test
    void anExecutorWithoutEnergyIsNamedOnTheStagesItRan() {
        StageAttribution.Split split = StageAttribution.split(Map.of(), Map.of("x", Map.of(3, 5L)));
        assertThat(split.joules()).containsEntry(3, 0.0);
        assertThat(split.missingExecutors().get(3)).containsExactly("x");
    }
}
