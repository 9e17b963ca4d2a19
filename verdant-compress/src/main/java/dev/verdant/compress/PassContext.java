package dev.verdant.compress;

import dev.verdant.runtime.InputTensor;
import dev.verdant.runtime.SessionSpec;
import java.util.List;
import java.util.Map;

/**
 * What a pass may use besides the model: representative inputs for calibration (each a map from graph input name to
 * a flat array plus shape, as {@link CalibrationSample}), a seed so every run of a recipe is repeatable, and how a
 * pass that runs the model to calibrate (outlier smoothing, int8-static) opens its ONNX Runtime session.
 *
 * @param calibration representative inputs, empty when the recipe was given no data
 * @param seed        the seed for any randomness (k-means initialization is linear and needs none)
 * @param session     the session a calibrating pass runs the model in: the run's {@code --threads}
 */
public record PassContext(List<CalibrationSample> calibration, long seed, SessionSpec session) {

    /** The session of a context that is not given one: the CLI's default of 2 intra-op threads. */
    public static final SessionSpec DEFAULT_SESSION = SessionSpec.threads(2);

    public PassContext {
        calibration = List.copyOf(calibration);
        if (session == null) {
            throw new IllegalArgumentException("session spec missing");
        }
    }

    /** A context whose calibrating passes run at {@link #DEFAULT_SESSION}. */
    public PassContext(List<CalibrationSample> calibration, long seed) {
        this(calibration, seed, DEFAULT_SESSION);
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
}
