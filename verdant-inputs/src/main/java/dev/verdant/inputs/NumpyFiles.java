package dev.verdant.inputs;

import dev.verdant.io.InputFiles;
import dev.verdant.io.MessageText;
import dev.verdant.onnx.DataType;
import dev.verdant.runtime.InputTensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * NumPy's {@code .npy} arrays and {@code .npz} archives of them (NumPy's format 1.0, 2.0 and 3.0: a magic string, a
 * version, a Python dict literal giving {@code descr}, {@code fortran_order} and {@code shape}, then the values).
 * Verdant reads the format itself: JetBrains' {@code npy} 0.3.5, the one JVM reader, cannot tell uint8 from int8,
 * refuses 0-d arrays (a scalar such as a sample rate) and float16. Big-endian arrays are turned little-endian;
 * Fortran-ordered ones are refused naming the file (save them with {@code np.ascontiguousarray}).
 */
public final class NumpyFiles {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    /** NumPy's type codes (kind and size, after the byte-order character) as ONNX element types. */
    private static final Map<String, DataType> TYPES = Map.ofEntries(Map.entry("f4", DataType.FLOAT),
            Map.entry("f8", DataType.DOUBLE), Map.entry("f2", DataType.FLOAT16), Map.entry("i8", DataType.INT64),
            Map.entry("i4", DataType.INT32), Map.entry("i2", DataType.INT16), Map.entry("i1", DataType.INT8),
            Map.entry("u1", DataType.UINT8), Map.entry("b1", DataType.BOOL));
    /** Largest header NumPy writes is far below this; a larger one is a damaged file, refused before allocating. */
    private static final int MAX_HEADER_BYTES = 1 << 20;

    private NumpyFiles() {
    }

    /**
     * One {@code .npy} file, named by its file name without the extension.
     *
     * @throws IllegalArgumentException with one line naming the file when it is not a NumPy array Verdant reads
     */
    public static NamedTensor readNpy(Path file) {
        InputFiles.requireReadable(file, "a .npy file");
        try (InputStream in = Files.newInputStream(file)) {
            String source = file.toString();
            return new NamedTensor(InputFileKind.stem(file), read(in, Files.size(file), source), source);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Every array of an {@code .npz} archive (compressed or not), in the archive's order, each named by its entry
     * without {@code .npy} (the keyword {@code np.savez} was given).
     *
     * @throws IllegalArgumentException with one line naming the file and entry when one is not an array Verdant reads
     */
    public static List<NamedTensor> readNpz(Path file) {
        InputFiles.requireReadable(file, "a .npz file");
        List<NamedTensor> tensors = new ArrayList<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                if (entry.isDirectory()) {
                    continue;
                }
                String name = entry.getName().endsWith(".npy")
                        ? entry.getName().substring(0, entry.getName().length() - 4) : entry.getName();
                String source = file + "[" + name + "]";
                try (InputStream in = zip.getInputStream(entry)) {
                    tensors.add(new NamedTensor(name, read(in, entry.getSize(), source), source));
                }
            }
        } catch (java.util.zip.ZipException e) {
            throw new IllegalArgumentException(file + " is not an .npz archive (a zip of .npy files): "
                    + MessageText.oneLine(e.getMessage()), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no array");
        }
        return tensors;
    }

    /** Reads one array; {@code size} is the stream's length in bytes when known (-1 otherwise), to refuse early. */
    static InputTensor read(InputStream in, long size, String source) throws IOException {
        byte[] preamble = in.readNBytes(MAGIC.length + 2);
        for (int i = 0; i < MAGIC.length; i++) {
            if (preamble.length < MAGIC.length || preamble[i] != MAGIC[i]) {
                throw new IllegalArgumentException(source + " is not a NumPy .npy array (no \\x93NUMPY magic)");
            }
        }
        if (preamble.length < MAGIC.length + 2) {
            throw new IllegalArgumentException(source + " ends inside its NumPy header");
        }
        int major = preamble[MAGIC.length];
        int lengthBytes = major == 1 ? 2 : 4;
        if (major < 1 || major > 3) {
            throw new IllegalArgumentException(source + " is NumPy format version " + major + "; 1, 2 and 3 are read");
        }
        byte[] lengthField = in.readNBytes(lengthBytes);
        if (lengthField.length < lengthBytes) {
            throw new IllegalArgumentException(source + " ends inside its NumPy header");
        }
        ByteBuffer length = ByteBuffer.wrap(lengthField).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = major == 1 ? length.getShort() & 0xFFFF : length.getInt() & 0xFFFFFFFFL;
        if (headerLength > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException(source + " declares a NumPy header of " + headerLength
                    + " bytes; it is damaged");
        }
        byte[] headerBytes = in.readNBytes((int) headerLength);
        if (headerBytes.length < headerLength) {
            throw new IllegalArgumentException(source + " ends inside its NumPy header");
        }
        String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = field(DESCR, header, "descr", source);
        if ("True".equals(field(FORTRAN, header, "fortran_order", source))) {
            throw new IllegalArgumentException(source + " is a Fortran-ordered array; save it C-ordered "
                    + "(np.save(f, np.ascontiguousarray(a)))");
        }
        long[] shape = shape(field(SHAPE, header, "shape", source), source);
        DataType type = descr.length() < 2 ? null : TYPES.get(descr.substring(1));
        char order = descr.isEmpty() ? '?' : descr.charAt(0);
        if (type == null || "<>|=".indexOf(order) < 0) {
            throw new IllegalArgumentException(source + " holds NumPy dtype " + MessageText.quote(descr)
                    + ", which no model input takes here (float32/64/16, int64/32/16/8, uint8 and bool are read)");
        }
        long elements = 1;
        for (long d : shape) {
            elements = Math.multiplyExact(elements, d);
        }
        long bytes = Math.multiplyExact(elements, type.bytes());
        long offset = MAGIC.length + 2 + lengthBytes + headerLength;
        if (bytes > Integer.MAX_VALUE - 16 || size >= 0 && size - offset < bytes) {
            throw new IllegalArgumentException(source + " declares shape " + java.util.Arrays.toString(shape)
                    + " of " + type.onnxName() + " (" + bytes + " bytes) but holds "
                    + (size < 0 ? "fewer" : String.valueOf(Math.max(0, size - offset))));
        }
        byte[] values = in.readNBytes((int) bytes);
        if (values.length < bytes) {
            throw new IllegalArgumentException(source + " declares shape " + java.util.Arrays.toString(shape)
                    + " of " + type.onnxName() + " (" + bytes + " bytes) but holds " + values.length);
        }
        if (order == '>' && type.bytes() > 1) {
            reverseEach(values, type.bytes());
        }
        return InputTensor.ofLittleEndian(shape, type, values);
    }

    private static String field(Pattern pattern, String header, String key, String source) {
        Matcher m = pattern.matcher(header);
        if (!m.find()) {
            throw new IllegalArgumentException(source + "'s NumPy header has no '" + key + "': "
                    + MessageText.quote(header.strip()));
        }
        return m.group(1);
    }

    private static long[] shape(String dims, String source) {
        List<Long> shape = new ArrayList<>();
        for (String dim : dims.split(",")) {
            String d = dim.strip();
            if (d.isEmpty()) {
                continue;
            }
            try {
                long value = Long.parseLong(d.endsWith("L") ? d.substring(0, d.length() - 1) : d);
                if (value < 0) {
                    throw new NumberFormatException();
                }
                shape.add(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(source + "'s NumPy header has a bad shape "
                        + MessageText.quote("(" + dims + ")"), e);
            }
        }
        return shape.stream().mapToLong(Long::longValue).toArray();
    }

    private static void reverseEach(byte[] values, int width) {
        for (int start = 0; start < values.length; start += width) {
            for (int i = 0, j = width - 1; i < j; i++, j--) {
                byte t = values[start + i];
                values[start + i] = values[start + j];
                values[start + j] = t;
            }
        }
    }
}
