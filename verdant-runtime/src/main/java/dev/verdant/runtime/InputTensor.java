package dev.verdant.runtime;

/**
 * One input of a model as plain Java arrays: float32 values or int64 values (token ids, masks), row-major, with
 * their shape. What compress calibrates and checks on, and what {@link OrtRunner} turns into an ONNX Runtime tensor.
 *
 * @param shape  dims
 * @param floats float32 values, or null
 * @param longs  int64 values, or null when {@code floats} is given
 */
public record InputTensor(long[] shape, float[] floats, long[] longs) {

    /** A float32 input. */
    public static InputTensor ofFloats(long[] shape, float[] values) {
        return new InputTensor(shape, values, null);
    }

    /** An int64 input. */
    public static InputTensor ofLongs(long[] shape, long[] values) {
        return new InputTensor(shape, null, values);
    }
}
