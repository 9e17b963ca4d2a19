package dev.verdant.compress.quantize;

/**
 * How the int8 steps quantize.
 *
 * @param perChannel  one weight scale per output channel (else per tensor)
 * @param symmetric   symmetric activations (zero point 128 in uint8) for int8-static, else asymmetric
 * @param calibration how int8-static picks activation ranges from the calibration data
 * @param keepFloat   nodes that stay in float
 */
public record QuantizationOptions(boolean perChannel, boolean symmetric, CalibrationMethod calibration,
        NodeSelector keepFloat) {

    /** Per-channel weights, asymmetric activations, min-max calibration, nothing kept in float. */
    public static QuantizationOptions defaults() {
        return new QuantizationOptions(true, false, CalibrationMethod.MIN_MAX, NodeSelector.none());
    }
}
