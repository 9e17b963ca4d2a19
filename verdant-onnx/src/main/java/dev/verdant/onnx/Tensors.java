package dev.verdant.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import dev.verdant.io.MessageText;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads the values of ONNX {@code TensorProto}s (from {@code raw_data} or the typed fields, little-endian as the
 * format requires) and builds new ones, so no pass decodes tensors its own way.
 */
public final class Tensors {

    private Tensors() {
    }

    public static long[] dims(TensorProto tensor) {
        return tensor.getDimsList().stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * Checks a tensor's declared dims against the values it holds, before anything is sized by them: no negative
     * dim, a product that fits in a long, and exactly that many values present (raw bytes or typed fields).
     *
     * @param origin the file, for the message
     * @throws ModelFormatException with one line naming the file and the tensor
     */
    public static void checkDeclaredSize(TensorProto tensor, String origin) {
        long count = 1;
        for (long dim : tensor.getDimsList()) {
            if (dim < 0) {
                throw new ModelFormatException(origin + ": tensor " + MessageText.quote(tensor.getName())
                        + " has a negative dimension "
                        + tensor.getDimsList());
            }
            try {
                count = Math.multiplyExact(count, dim);
            } catch (ArithmeticException e) {
                throw new ModelFormatException(origin + ": tensor " + MessageText.quote(tensor.getName())
                        + " declares dims "
                        + tensor.getDimsList() + ", more elements than can exist");
            }
        }
        long held = heldValues(tensor, origin);
        if (held >= 0 && held != count) {
            throw new ModelFormatException(origin + ": tensor " + MessageText.quote(tensor.getName())
                    + " declares " + count
                    + " elements (dims " + tensor.getDimsList() + ") but holds " + held);
        }
    }

    /**
     * How many values a tensor holds in its data, or -1 where that cannot be told from the data's length (an
     * unknown data type).
     */
    private static long heldValues(TensorProto tensor, String origin) {
        DataType type;
        try {
            type = DataType.of(tensor);
        } catch (IllegalArgumentException e) {
            return -1;
        }
        if (tensor.hasRawData()) {
            long bytes = tensor.getRawData().size();
            if (type == DataType.STRING || type.bytes() == 0) {
                return -1;
            }
            if (type == DataType.INT4 || type == DataType.UINT4) {
                // two values a byte: the count is one of the two that fill these bytes
                return -1;
            }
            if (bytes % type.bytes() != 0) {
                throw new ModelFormatException(origin + ": tensor " + MessageText.quote(tensor.getName())
                        + " holds " + bytes
                        + " bytes, not a whole number of " + type.onnxName() + " values");
            }
            return bytes / type.bytes();
        }
        return switch (type) {
            case FLOAT -> tensor.getFloatDataCount();
            case DOUBLE -> tensor.getDoubleDataCount();
            case INT64 -> tensor.getInt64DataCount();
            case UINT64, UINT32 -> tensor.getUint64DataCount();
            case STRING -> tensor.getStringDataCount();
            case INT32, INT16, INT8, UINT16, UINT8, BOOL, FLOAT16, BFLOAT16 -> tensor.getInt32DataCount();
            default -> -1;
        };
    }

    /** Number of elements: the product of the dims (1 for a scalar). */
    public static long elementCount(TensorProto tensor) {
        long count = 1;
        for (long dim : tensor.getDimsList()) {
            count *= dim;
        }
        return count;
    }

    /** Bytes the values take as stored in the file (raw or typed fields), excluding protobuf framing. */
    public static long storedBytes(TensorProto tensor) {
        DataType type = DataType.of(tensor);
        if (type == DataType.STRING) {
            return tensor.getStringDataList().stream().mapToLong(ByteString::size).sum();
        }
        if (type == DataType.INT4 || type == DataType.UINT4) {
            return (elementCount(tensor) + 1) / 2;
        }
        return elementCount(tensor) * type.bytes();
    }

    /** The values as floats, converting from any numeric type (float16 and bfloat16 included). */
    public static float[] toFloats(TensorProto tensor) {
        int n = Math.toIntExact(elementCount(tensor));
        float[] values = new float[n];
        DataType type = DataType.of(tensor);
        ByteBuffer raw = rawValues(tensor, n, type);
        if (raw != null) {
            for (int i = 0; i < n; i++) {
                values[i] = switch (type) {
                    case FLOAT -> raw.getFloat();
                    case DOUBLE -> (float) raw.getDouble();
                    case INT8 -> raw.get();
                    case UINT8 -> raw.get() & 0xFF;
                    case BOOL -> raw.get() != 0 ? 1f : 0f;
                    case INT16 -> raw.getShort();
                    case UINT16 -> raw.getShort() & 0xFFFF;
                    case INT32 -> raw.getInt();
                    case UINT32 -> raw.getInt() & 0xFFFFFFFFL;
                    case INT64, UINT64 -> raw.getLong();
                    case FLOAT16 -> Float.float16ToFloat(raw.getShort());
                    case BFLOAT16 -> Float.intBitsToFloat((raw.getShort() & 0xFFFF) << 16);
                    default -> throw unsupported(tensor, "float");
                };
            }
            return values;
        }
        switch (type) {
            case FLOAT -> {
                for (int i = 0; i < n; i++) {
                    values[i] = tensor.getFloatData(i);
                }
            }
            case DOUBLE -> {
                for (int i = 0; i < n; i++) {
                    values[i] = (float) tensor.getDoubleData(i);
                }
            }
            case INT64 -> {
                for (int i = 0; i < n; i++) {
                    values[i] = tensor.getInt64Data(i);
                }
            }
            case UINT64 -> {
                for (int i = 0; i < n; i++) {
                    values[i] = tensor.getUint64Data(i);
                }
            }
            case INT32, INT16, INT8, UINT16, UINT8, BOOL -> {
                for (int i = 0; i < n; i++) {
                    values[i] = type == DataType.UINT8 ? tensor.getInt32Data(i) & 0xFF : tensor.getInt32Data(i);
                }
            }
            case FLOAT16 -> {
                for (int i = 0; i < n; i++) {
                    values[i] = Float.float16ToFloat((short) tensor.getInt32Data(i));
                }
            }
            case BFLOAT16 -> {
                for (int i = 0; i < n; i++) {
                    values[i] = Float.intBitsToFloat((tensor.getInt32Data(i) & 0xFFFF) << 16);
                }
            }
            default -> throw unsupported(tensor, "float");
        }
        return values;
    }

    /** The values of an integer (or bool) tensor as longs. */
    public static long[] toLongs(TensorProto tensor) {
        int n = Math.toIntExact(elementCount(tensor));
        long[] values = new long[n];
        DataType type = DataType.of(tensor);
        ByteBuffer raw = rawValues(tensor, n, type);
        if (raw != null) {
            for (int i = 0; i < n; i++) {
                values[i] = switch (type) {
                    case INT64, UINT64 -> raw.getLong();
                    case INT32 -> raw.getInt();
                    case UINT32 -> raw.getInt() & 0xFFFFFFFFL;
                    case INT16 -> raw.getShort();
                    case UINT16 -> raw.getShort() & 0xFFFF;
                    case INT8 -> raw.get();
                    case UINT8 -> raw.get() & 0xFF;
                    case BOOL -> raw.get() != 0 ? 1 : 0;
                    default -> throw unsupported(tensor, "integer");
                };
            }
            return values;
        }
        for (int i = 0; i < n; i++) {
            values[i] = switch (type) {
                case INT64 -> tensor.getInt64Data(i);
                case UINT64 -> tensor.getUint64Data(i);
                case INT32, INT16, INT8, UINT16, BOOL -> tensor.getInt32Data(i);
                case UINT8 -> tensor.getInt32Data(i) & 0xFF;
                case UINT32 -> tensor.getUint64Data(i);
                default -> throw unsupported(tensor, "integer");
            };
        }
        return values;
    }

    /** The raw little-endian bytes of the values, whichever field holds them (not for strings). */
    public static byte[] toRawBytes(TensorProto tensor) {
        if (tensor.getRawData().size() > 0) {
            return tensor.getRawData().toByteArray();
        }
        DataType type = DataType.of(tensor);
        int n = Math.toIntExact(elementCount(tensor));
        ByteBuffer out = ByteBuffer.allocate(n * type.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        if (type == DataType.FLOAT) {
            float[] values = toFloats(tensor);
            for (float v : values) {
                out.putFloat(v);
            }
        } else if (type == DataType.DOUBLE) {
            for (int i = 0; i < n; i++) {
                out.putDouble(tensor.getDoubleData(i));
            }
        } else if (type == DataType.FLOAT16 || type == DataType.BFLOAT16) {
            for (int i = 0; i < n; i++) {
                out.putShort((short) tensor.getInt32Data(i));
            }
        } else {
            long[] values = toLongs(tensor);
            for (long v : values) {
                switch (type.bytes()) {
                    case 1 -> out.put((byte) v);
                    case 2 -> out.putShort((short) v);
                    case 4 -> out.putInt((int) v);
                    default -> out.putLong(v);
                }
            }
        }
        return out.array();
    }

    /** A float32 tensor stored as raw data. */
    public static TensorProto ofFloats(String name, long[] dims, float[] values) {
        checkCount(name, dims, values.length);
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return raw(name, DataType.FLOAT, dims, buffer.array());
    }

    /** An int64 tensor stored as raw data. */
    public static TensorProto ofLongs(String name, long[] dims, long[] values) {
        checkCount(name, dims, values.length);
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asLongBuffer().put(values);
        return raw(name, DataType.INT64, dims, buffer.array());
    }

    /** An int32 tensor stored as raw data. */
    public static TensorProto ofInts(String name, long[] dims, int[] values) {
        checkCount(name, dims, values.length);
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asIntBuffer().put(values);
        return raw(name, DataType.INT32, dims, buffer.array());
    }

    /** An 8-bit tensor ({@link DataType#INT8}, {@link DataType#UINT8} or {@link DataType#BOOL}) stored as raw data. */
    public static TensorProto ofBytes(String name, DataType type, long[] dims, byte[] values) {
        if (type.bytes() != 1) {
            throw new IllegalArgumentException(type + " is not an 8-bit type");
        }
        checkCount(name, dims, values.length);
        return raw(name, type, dims, values.clone());
    }

    /** A tensor of any type from its raw little-endian bytes. */
    public static TensorProto raw(String name, DataType type, long[] dims, byte[] rawLittleEndian) {
        TensorProto.Builder builder = TensorProto.newBuilder().setName(name).setDataType(type.code())
                .setRawData(ByteString.copyFrom(rawLittleEndian));
        for (long dim : dims) {
            builder.addDims(dim);
        }
        return builder.build();
    }

    private static void checkCount(String name, long[] dims, int count) {
        long expected = 1;
        for (long dim : dims) {
            expected *= dim;
        }
        if (expected != count) {
            throw new IllegalArgumentException("tensor " + MessageText.quote(name)
                    + " has " + count + " values but its dims "
                    + java.util.Arrays.toString(dims) + " hold " + expected);
        }
    }

    /** The raw data as a little-endian buffer checked against dims and type, or null when typed fields hold the values. */
    private static ByteBuffer rawValues(TensorProto tensor, int n, DataType type) {
        if (tensor.getRawData().isEmpty()) {
            return null;
        }
        ByteBuffer raw = tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        checkRawSize(tensor, raw.remaining(), (long) n * type.bytes());
        return raw;
    }

    private static void checkRawSize(TensorProto tensor, int actual, long expected) {
        if (actual != expected) {
            throw new ModelFormatException("tensor " + MessageText.quote(tensor.getName()) + " holds " + actual
                    + " bytes of raw data but its dims and type need " + expected);
        }
    }

    private static ModelFormatException unsupported(TensorProto tensor, String as) {
        return new ModelFormatException("tensor " + MessageText.quote(tensor.getName()) + " of type "
                + DataType.of(tensor).onnxName() + " cannot be read as " + as);
    }
}
