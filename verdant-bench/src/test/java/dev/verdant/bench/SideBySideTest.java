package dev.verdant.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verdant.bench.SideBySide.Plan;
import dev.verdant.bench.SideBySide.Timing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one measurement loop: ABBA blocks, warm-up before the mark, energy charged to the block that ran. */
class SideBySideTest {

    @Test
    void modelsTakeTurnsInAbbaOrderAfterTheirWarmUp() {
        List<String> log = new ArrayList<>();
        List<Timing> timings = SideBySide.measure(List.of(i -> log.add("A" + i), i -> log.add("B" + i)),
                new Plan(1, 2, false, 4, Optional.empty()), () -> 0, () -> log.add("mark"));
        assertThat(log).containsExactly("A0", "B0", "mark", "A0", "A1", "B0", "B1", "B2", "B3", "A2", "A3");
        assertThat(timings).extracting(Timing::runs).containsExactly(4, 4);
    }

    @Test
    void energyReadAroundABlockIsChargedToTheModelThatRanIt() {
        double[] counter = {0};
        // A costs 1 J a run, B 3 J a run
        List<Timing> timings = SideBySide.measure(List.of(i -> counter[0] += 1, i -> counter[0] += 3),
                Plan.interleaved(2, 5), () -> counter[0], () -> { });
        assertThat(timings.get(0).joules()).isEqualTo(5.0);
        assertThat(timings.get(1).joules()).isEqualTo(15.0);
    }

    @Test
    void aTimeBoxStillGivesEveryModelOneBlock() {
        List<Timing> timings = SideBySide.measure(List.of(i -> sleep(), i -> sleep()),
                new Plan(0, 3, false, 1_000_000, Optional.of(Duration.ZERO)), () -> 0, () -> { });
        assertThat(timings).extracting(Timing::runs).containsExactly(3, 3);
        assertThat(timings.get(0).latency().minMillis()).isGreaterThan(0);
    }

    @Test
    void manyRunsGrowTheirRecordBeyondItsFirstSize() {
        List<Timing> timings = SideBySide.measure(List.of(i -> { }), Plan.interleaved(0, 5000), () -> 0, () -> { });
        assertThat(timings.get(0).runs()).isEqualTo(5000);
    }

    @Test
    void blocksLastLongEnoughForCoarseEnergyCounters() {
        assertThat(SideBySide.runsPerBlock(10, 1_000_000)).isEqualTo(200); // 1 ms runs: 200 make 0.2 s
        assertThat(SideBySide.runsPerBlock(10, 3_000_000)).isEqualTo(67);
        assertThat(SideBySide.runsPerBlock(10, 50_000_000)).isEqualTo(10); // long runs keep the configured size
        assertThat(SideBySide.runsPerBlock(10, Long.MAX_VALUE)).isEqualTo(10); // no warm-up, nothing known
        assertThat(SideBySide.runsPerBlock(1, 1)).isEqualTo(SideBySide.MAX_RUNS_PER_BLOCK);
    }

    @Test
    void medianMillisTimesEachModelInTurnAndReturnsItsMedian() {
        List<String> log = new ArrayList<>();
        double[] millis = SideBySide.medianMillis(List.of(i -> log.add("A" + i), i -> {
            log.add("B" + i);
            sleep();
        }), 1, 3);
        assertThat(log).containsExactly("A0", "B0", "A0", "B0", "B1", "A1", "A2", "B2");
        assertThat(millis).hasSize(2);
        // B sleeps a millisecond a run, A does not
        assertThat(millis[1]).isGreaterThanOrEqualTo(1.0).isGreaterThan(millis[0]);
    }

    @Test
    void aPlanWithoutRunsIsRefused() {
        assertThatThrownBy(() -> Plan.interleaved(0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("a measurement needs");
    }

    private static void sleep() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
