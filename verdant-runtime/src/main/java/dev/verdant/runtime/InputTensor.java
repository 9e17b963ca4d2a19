package dev.verdant.runtime;

import dev.verdant.onnx.DataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

/**
 * One input of a model as plain Java arrays, row-major, with their shape: float32 values, int64 values (token ids,
 * masks), or the little-endian bytes of another element type a user's file may hold (int32, uint8, int8, int16,
 * bool, double, float16, bfloat16). What compress calibrates and checks on, and what {@link OrtRunner} turns into an
 * ONNX Runtime tensor.
 *
 * @param shape  dims
 * @param floats float32 values, or null
 * @param longs  int64 values, or null when {@code floats} is given
 * @param raw    the values of any other element type, or null when {@code floats} or {@code longs} is given
 */
public record InputTensor(long[] shape, float[] floats, long[] longs, Raw raw) {

    /** The element types {@link Raw} holds: those ONNX Runtime's Java API makes tensors of, float and int64 aside. */
    public static final Set<DataType> RAW_TYPES = Set.of(DataType.DOUBLE, DataType.INT32, DataType.INT16,
            DataType.INT8, DataType.UINT8, DataType.BOOL, DataType.FLOAT16, DataType.BFLOAT16);

    public InputTensor {
        Objects.requireNonNull(shape, "shape");
        int given = (floats != null ? 1 : 0) + (longs != null ? 1 : 0) + (raw != null ? 1 : 0);
        if (given != 1) {
            throw new IllegalArgumentException("an input tensor holds exactly one of floats, longs or raw values");
        }
    }

    /** A float32 or int64 input, as the record was before it held other types. */
    public InputTensor(long[] shape, float[] floats, long[] longs) {
        this(shape, floats, longs, null);
    }

    /** A float32 input. */
    public static InputTensor ofFloats(long[] shape, float[] values) {
        return new InputTensor(shape, values, null);
    }

    /** An int64 input. */
    public static InputTensor ofLongs(long[] shape, long[] values) {
        return new InputTensor(shape, null, values);
    }

    /** An int32 input. */
    public static InputTensor ofInts(long[] shape, int[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asIntBuffer().put(values);
        return new InputTensor(shape, null, null, new Raw(DataType.INT32, bytes.array()));
    }

    /** A float64 input. */
    public static InputTensor ofDoubles(long[] shape, double[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asDoubleBuffer().put(values);
        return new InputTensor(shape, null, null, new Raw(DataType.DOUBLE, bytes.array()));
    }

    /** A bool input. */
    public static InputTensor ofBooleans(long[] shape, boolean[] values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) (values[i] ? 1 : 0);
        }
        return new InputTensor(shape, null, null, new Raw(DataType.BOOL, bytes));
    }

    /**
     * An input of {@code type} from its little-endian bytes, as ONNX's {@code raw_data} and NumPy's {@code <} files
     * hold them: float32 and int64 become {@link #floats} and {@link #longs}, any type of {@link #RAW_TYPES} stays
     * bytes.
     *
     * @throws IllegalArgumentException naming the type when it is none of these, or when the byte count is not
     *                                  the shape's
     */
    public static InputTensor ofLittleEndian(long[] shape, DataType type, byte[] bytes) {
        long elements = elements(shape);
        if (type != DataType.FLOAT && type != DataType.INT64 && !RAW_TYPES.contains(type)) {
            throw new IllegalArgumentException(type.onnxName() + " values are not supported as model inputs "
                    + "(float, double, float16, bfloat16, int64, int32, int16, int8, uint8 and bool are)");
        }
        if (bytes.length != elements * type.bytes()) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " of " + type.onnxName()
                    + " needs " + elements * type.bytes() + " bytes, got " + bytes.length);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        return switch (type) {
            case FLOAT -> {
                float[] values = new float[(int) elements];
                buffer.asFloatBuffer().get(values);
                yield ofFloats(shape, values);
            }
            case INT64 -> {
                long[] values = new long[(int) elements];
                buffer.asLongBuffer().get(values);
                yield ofLongs(shape, values);
            }
            default -> new InputTensor(shape, null, null, new Raw(type, bytes.clone()));
        };
    }

    /** The element type. */
    public DataType type() {
        return floats != null ? DataType.FLOAT : longs != null ? DataType.INT64 : raw.type();
    }

    /** The number of elements its shape holds (1 for a scalar). */
    public long elementCount() {
        return elements(shape);
    }

    /** This tensor with {@code newShape}, which must hold as many elements. */
    public InputTensor reshaped(long[] newShape) {
        if (elements(newShape) != elementCount()) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(shape) + " to "
                    + Arrays.toString(newShape));
        }
        return new InputTensor(newShape.clone(), floats, longs, raw);
    }

    private static long elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("a concrete shape has no negative dim: " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /**
     * The values of an element type other than float32 and int64.
     *
     * @param type         one of {@link #RAW_TYPES}
     * @param littleEndian the values, {@code type.bytes()} little-endian bytes each
     */
    public record Raw(DataType type, byte[] littleEndian) {
        public Raw {
            if (!RAW_TYPES.contains(type)) {
                throw new IllegalArgumentException("raw values are one of " + RAW_TYPES + ", not " + type);
            }
        }
    }
}
