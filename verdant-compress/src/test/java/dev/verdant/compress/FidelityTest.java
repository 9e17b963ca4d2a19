package dev.verdant.compress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdant.compress.PassContext.CalibrationSample;
import dev.verdant.runtime.InputTensor;
import dev.verdant.runtime.ModelInputs;
import dev.verdant.runtime.OrtRunner.Output;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FidelityTest {

    /** Two rows of three positions, hidden 2; row 0 has two real tokens, row 1 one. */
    private static final CalibrationSample SAMPLE = new CalibrationSample(Map.of(ModelInputs.ATTENTION_MASK,
            new InputTensor(new long[] {2, 3}, null, new long[] {1, 1, 0, 1, 0, 0})));

    @Test
    void differencesAtPaddedPositionsCountOnlyInTheAllElementsFigure() {
        float[] reference = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        float[] candidate = reference.clone();
        candidate[1] += 0.25f; // row 0, token 0: real
        candidate[5] = 0; // row 0, token 2: padded (6 away)
        candidate[10] += 3; // row 1, token 2: padded
        Fidelity.Meter meter = new Fidelity.Meter();
        meter.add(Map.of("h", new Output(new long[] {2, 3, 2}, reference)),
                Map.of("h", new Output(new long[] {2, 3, 2}, candidate)), SAMPLE);
        Fidelity fidelity = meter.result();

        assertThat(fidelity.maxAbsDiff()).isEqualTo(6.0);
        assertThat(fidelity.maxAbsDiffRealTokens()).isEqualTo(0.25);
        assertThat(fidelity.examples()).isEqualTo(2);
        assertThat(fidelity.minCosine()).isLessThan(1.0); // row 0's pooled embedding moved; padded values do not pool
    }

    @Test
    void anOutputWithoutPositionsComparesEveryElementBothWays() {
        Fidelity.Meter meter = new Fidelity.Meter();
        meter.add(Map.of("pooled", new Output(new long[] {2, 2}, new float[] {1, 2, 3, 4})),
                Map.of("pooled", new Output(new long[] {2, 2}, new float[] {1, 2, 3, 4.5f})), SAMPLE);
        assertThat(meter.result().maxAbsDiff()).isEqualTo(0.5);
        assertThat(meter.result().maxAbsDiffRealTokens()).isEqualTo(0.5);
    }

    @Test
    void thePerOutputComparisonReadsRealTokensOnly() {
        float[] values = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        Map<String, Output> masked = Fidelity.atRealTokens(Map.of("h", new Output(new long[] {2, 3, 2}, values),
                "pooled", new Output(new long[] {2, 2}, new float[] {1, 2, 3, 4})), SAMPLE);

        // row 0 keeps tokens 0 and 1, row 1 token 0; padded positions read 0 in both models alike
        assertThat(masked.get("h").values()).containsExactly(1, 2, 3, 4, 0, 0, 7, 8, 0, 0, 0, 0);
        assertThat(masked.get("h").shape()).containsExactly(2, 3, 2);
        assertThat(masked.get("pooled").values()).containsExactly(1, 2, 3, 4);
        assertThat(values[4]).isEqualTo(5); // the run's own output is left as it was
    }
}
