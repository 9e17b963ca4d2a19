package dev.verdant.data;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST, gzipped or not (told by the magic bytes): a 4-byte magic
 * {@code 0x0000TTDD} (TT the element type, DD the number of dimensions), one big-endian int per dimension, then the
 * data row-major. Only unsigned bytes (type {@code 0x08}) are read, which is what every MNIST-style set uses. Every
 * inconsistency (wrong magic, bad dimensions, a truncated file, extra bytes, images and labels that disagree) is a
 * {@link DataFormatException} with one line saying which file and what.
 */
public final class IdxReader {

    /** Magic of an image file: unsigned bytes, 3 dimensions (count, rows, columns). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic of a label file: unsigned bytes, 1 dimension (count). */
    public static final int LABELS_MAGIC = 0x00000801;

    private static final int UNSIGNED_BYTE = 0x08;
    /** Java arrays stop a little short of {@link Integer#MAX_VALUE}. */
    private static final long MAX_DATA_BYTES = Integer.MAX_VALUE - 8L;
    private static final float[] UNIT_SCALE = new float[256];

    static {
        for (int v = 0; v < 256; v++) {
            UNIT_SCALE[v] = v / 255f;
        }
    }

    private IdxReader() {
    }

    /** Reads a whole IDX file of unsigned bytes. */
    public static IdxArray read(Path file) {
        return read(file, Integer.MAX_VALUE);
    }

    /**
     * Reads the first {@code limit} items of an IDX file of unsigned bytes (all of them when the file has fewer).
     * Only when every item is read does it also check that nothing follows the data.
     */
    public static IdxArray read(Path file, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, not " + limit);
        }
        try (InputStream in = DataFiles.open(file)) {
            DataInputStream data = new DataInputStream(in);
            int magic = readHeaderInt(data, file, "magic number");
            if ((magic >>> 16) != 0 || (magic & 0xFF) == 0) {
                throw new DataFormatException(file + " is not an IDX file: it starts with "
                        + hex(magic) + " where an IDX magic number 0x0000TTDD belongs");
            }
            int type = (magic >>> 8) & 0xFF;
            if (type != UNSIGNED_BYTE) {
                throw new DataFormatException(file + " holds IDX elements of type " + String.format(Locale.ROOT, "0x%02X", type)
                        + " (" + typeName(type) + "); only unsigned bytes (0x08), as in MNIST, are supported");
            }
            int[] dims = new int[magic & 0xFF];
            long total = 1;
            for (int i = 0; i < dims.length; i++) {
                dims[i] = readHeaderInt(data, file, "size of dimension " + i);
                if (dims[i] < 0 || (dims[i] == 0 && i > 0)) {
                    throw new DataFormatException(file + " declares dimension " + i + " of size " + dims[i]);
                }
                total *= dims[i];
                if (total > MAX_DATA_BYTES) {
                    throw new DataFormatException(file + " declares more than 2 GB of data; not supported");
                }
            }
            long itemBytes = 1;
            for (int i = 1; i < dims.length; i++) {
                itemBytes *= dims[i];
                if (itemBytes > MAX_DATA_BYTES) {
                    throw new DataFormatException(file + " declares items of more than 2 GB; not supported");
                }
            }
            int itemSize = (int) itemBytes;
            int count = Math.min(dims[0], limit);
            // read as far as the data goes, not into an array of the size the header declares: a 30-byte file
            // declaring 2 GB is truncated, not a reason to allocate 2 GB
            int declared = Math.multiplyExact(count, itemSize);
            byte[] bytes = data.readNBytes(declared);
            if (bytes.length < declared) {
                throw new DataFormatException(file + " is truncated: its header declares " + dims[0] + " items of "
                        + itemSize + " bytes (" + total + " bytes of data) but the data ends after " + bytes.length
                        + " bytes");
            }
            if (count == dims[0]) {
                long extra = data.transferTo(OutputStream.nullOutputStream());
                if (extra > 0) {
                    throw new DataFormatException(file + " has " + extra + " bytes after the " + dims[0]
                            + " items its header declares; it is not a well-formed IDX file");
                }
            }
            dims[0] = count;
            return new IdxArray(dims, bytes);
        } catch (IOException e) {
            throw DataFiles.failure(file, e);
        }
    }

    /**
     * Reads an image file and its label file into an image dataset: pixels scaled to [0, 1], one channel.
     *
     * @param limit at most this many images (the first ones); {@link Integer#MAX_VALUE} for all
     * @throws DataFormatException when either file is not what it should be, or their counts differ
     */
    public static ImageDataset readImages(String name, Path images, Path labels, List<String> classNames, int limit) {
        IdxArray imageArray = read(images, limit);
        requireShape(images, imageArray, IMAGES_MAGIC, "image", 3);
        IdxArray labelArray = read(labels, limit);
        requireShape(labels, labelArray, LABELS_MAGIC, "label", 1);
        if (imageArray.count() != labelArray.count()) {
            throw new DataFormatException(images.getFileName() + " holds " + imageArray.count() + " images but "
                    + labels.getFileName() + " holds " + labelArray.count() + " labels; they must match");
        }
        int[] labelValues = new int[labelArray.count()];
        for (int i = 0; i < labelValues.length; i++) {
            labelValues[i] = labelArray.unsigned(i);
            if (labelValues[i] >= classNames.size()) {
                throw new DataFormatException(labels + ": label " + labelValues[i] + " of item " + i
                        + " is outside the " + classNames.size() + " classes");
            }
        }
        byte[] raw = imageArray.data();
        float[] pixels = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            pixels[i] = UNIT_SCALE[raw[i] & 0xFF];
        }
        int[] dims = imageArray.dims();
        return new ImageDataset(name, pixels, 1, dims[1], dims[2], labelValues, classNames);
    }

    private static void requireShape(Path file, IdxArray array, int magic, String kind, int rank) {
        if (array.dims().length != rank) {
            throw new DataFormatException(file + " is not an IDX " + kind + " file: it has " + array.dims().length
                    + " dimension(s) (magic " + hex(0x0800 | array.dims().length) + "), expected " + rank + " (magic "
                    + hex(magic) + ")");
        }
    }

    private static int readHeaderInt(DataInputStream in, Path file, String what) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new DataFormatException(file + " is truncated: it ends inside the IDX header (" + what + ")", e);
        }
    }

    private static String hex(int value) {
        return String.format(Locale.ROOT, "0x%08X", value);
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0x09 -> "signed byte";
            case 0x0B -> "short";
            case 0x0C -> "int";
            case 0x0D -> "float";
            case 0x0E -> "double";
            default -> "not an IDX type";
        };
    }
}
