package dev.verdant.compress.quantize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ActivationRangeTest {

    /** ReLU of a standard normal with one outlier at 40: min-max keeps it, the clipping methods cut it away. */
    @Test
    void clippingMethodsIgnoreARareOutlierButKeepTheBulk() {
        Random random = new Random(1);
        float[] values = new float[200_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.max(0, random.nextGaussian());
        }
        values[5] = 40f;
        ActivationRange range = new ActivationRange();
        range.observeExtremes(values);
        range.observeHistogram(values);

        assertThat(range.range(CalibrationMethod.MIN_MAX)).containsExactly(0f, 40f);
        // the 99.99th percentile of |N(0,1)| restricted to the positive half is about 3.9
        assertThat(range.range(CalibrationMethod.PERCENTILE)[1]).isBetween(3.5f, 4.2f);
        // KL keeps nearly all the mass of the bulk: well above 2 standard deviations, far below the outlier
        assertThat(range.range(CalibrationMethod.ENTROPY)[1]).isBetween(3f, 5f);
        assertThat(range.range(CalibrationMethod.ENTROPY)[0]).isEqualTo(0f);
    }

    @Test
    void aRangeAlwaysContainsZero() {
        ActivationRange range = new ActivationRange();
        range.observeExtremes(new float[] {2f, 3f});
        assertThat(range.range(CalibrationMethod.MIN_MAX)).containsExactly(0f, 3f);
    }
}
