package dev.verdant.compress;

import java.util.List;
import java.util.Map;

/**
 * What a pass may use besides the model: representative inputs for calibration (each a map from graph input name to
 * a flat array plus shape, as {@link CalibrationSample}) and a seed so every run of a recipe is repeatable.
 *
 * @param calibration representative inputs, empty when the recipe was given no data
 * @param seed        the seed for any randomness (k-means initialization is linear and needs none)
 */
public record PassContext(List<CalibrationSample> calibration, long seed) {
    public PassContext {
        calibration = List.copyOf(calibration);
    }

    /** A context with no calibration data. */
    public static PassContext withoutData(long seed) {
        return new PassContext(List.of(), seed);
    }

    /**
     * One model input batch for calibration or checking.
     *
     * @param inputs graph input name to its tensor
     */
    public record CalibrationSample(Map<String, InputTensor> inputs) {
        public CalibrationSample {
            inputs = Map.copyOf(inputs);
        }
    }

    /**
     * A flat tensor with its shape; {@code floats} or {@code longs} is set, by the input's element type.
     *
     * @param shape  dims
     * @param floats float32 values, or null
     * @param longs  int64 values, or null
     */
    public record InputTensor(long[] shape, float[] floats, long[] longs) {
    }
}
