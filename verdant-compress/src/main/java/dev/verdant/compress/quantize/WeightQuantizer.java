package dev.verdant.compress.quantize;

/**
 * Symmetric int8 quantization of constant weights, per channel or per tensor: {@code q = round(w / scale)} in
 * [-127, 127] with {@code scale = max|w| / 127} over the channel, zero point 0. Symmetric weights keep the integer
 * kernels' zero-point corrections to the activation side only, which is what makes them fast.
 */
public final class WeightQuantizer {

    /** The largest magnitude an int8 code takes: -128 is left out so the range is symmetric. */
    public static final int INT8_MAX = 127;

    private WeightQuantizer() {
    }

    /**
     * A quantized matrix: codes in the original row-major layout and one scale per channel (or one in total).
     *
     * @param codes  int8 codes, row-major like the input
     * @param scales per-channel scales, or a single scale
     */
    public record Quantized(byte[] codes, float[] scales) {
        /** The value a code stands for. */
        public float dequantize(int index, int channel) {
            return codes[index] * scales[scales.length == 1 ? 0 : channel];
        }
    }

    /**
     * Quantizes a {@code rows x columns} row-major matrix with one scale per column (the output channel of a
     * {@code x · W} product) or one for the whole matrix.
     */
    public static Quantized quantizeColumns(float[] matrix, int rows, int columns, boolean perChannel) {
        float[] absMax = new float[perChannel ? columns : 1];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                int channel = perChannel ? c : 0;
                absMax[channel] = Math.max(absMax[channel], Math.abs(matrix[r * columns + c]));
            }
        }
        float[] scales = scalesOf(absMax);
        byte[] codes = new byte[matrix.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                codes[r * columns + c] = code(matrix[r * columns + c], scales[perChannel ? c : 0]);
            }
        }
        return new Quantized(codes, scales);
    }

    /**
     * Quantizes a tensor with one scale per index of {@code axis} (for example the output channels, axis 0, of a
     * convolution kernel), or one for the whole tensor when {@code axis} is negative.
     */
    public static Quantized quantizeAxis(float[] values, long[] dims, int axis) {
        if (axis < 0) {
            return quantizeColumns(values, 1, values.length, false);
        }
        int channels = Math.toIntExact(dims[axis]);
        int inner = 1;
        for (int d = axis + 1; d < dims.length; d++) {
            inner = Math.multiplyExact(inner, Math.toIntExact(dims[d]));
        }
        float[] absMax = new float[channels];
        for (int i = 0; i < values.length; i++) {
            int channel = (i / inner) % channels;
            absMax[channel] = Math.max(absMax[channel], Math.abs(values[i]));
        }
        float[] scales = scalesOf(absMax);
        byte[] codes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            codes[i] = code(values[i], scales[(i / inner) % channels]);
        }
        return new Quantized(codes, scales);
    }

    private static float[] scalesOf(float[] absMax) {
        float[] scales = new float[absMax.length];
        for (int i = 0; i < scales.length; i++) {
            // an all-zero channel still needs a positive scale; its codes are all 0 either way
            scales[i] = absMax[i] > 0 ? absMax[i] / INT8_MAX : 1f;
        }
        return scales;
    }

    private static byte code(float value, float scale) {
        // round half to even, as ONNX QuantizeLinear does
        long rounded = (long) Math.rint(value / scale);
        return (byte) Math.max(-INT8_MAX, Math.min(INT8_MAX, rounded));
    }
}
