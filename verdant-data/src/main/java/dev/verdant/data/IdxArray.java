package dev.verdant.data;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The content of an IDX file of unsigned bytes (the MNIST format): its dimensions, item count first, and its data
 * row-major.
 *
 * @param dims the sizes, for example {@code [10000, 28, 28]} for images or {@code [10000]} for labels
 * @param data the unsigned bytes, row-major; shared, not copied: do not modify
 */
public record IdxArray(int[] dims, byte[] data) {

    public IdxArray {
        if (dims.length == 0) {
            throw new IllegalArgumentException("an IDX array needs at least one dimension");
        }
        dims = dims.clone();
        long expected = Arrays.stream(dims).asLongStream().reduce(1, Math::multiplyExact);
        if (expected != data.length) {
            throw new IllegalArgumentException("IDX dims " + Arrays.toString(dims) + " need " + expected
                    + " bytes, not " + data.length);
        }
    }

    /** The sizes (a copy). */
    @Override
    public int[] dims() {
        return dims.clone();
    }

    /** The number of items: the first dimension. */
    public int count() {
        return dims[0];
    }

    /** Bytes per item: the product of the dimensions after the first. */
    public int itemSize() {
        int size = 1;
        for (int i = 1; i < dims.length; i++) {
            size *= dims[i];
        }
        return size;
    }

    /** The unsigned value at flat position {@code index}. */
    public int unsigned(int index) {
        return data[index] & 0xFF;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IdxArray that && Arrays.equals(dims, that.dims) && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(dims) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "IdxArray[" + Arrays.stream(dims).mapToObj(Integer::toString).collect(Collectors.joining("x")) + "]";
    }
}
