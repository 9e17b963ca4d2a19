package dev.verdant.compress.pack;

import java.util.Arrays;

/** Appends bit fields most-significant bit first into a growing byte array (the order canonical Huffman codes read). */
final class BitWriter {

    private byte[] bytes = new byte[256];
    private int byteCount;
    private long accumulator; // the low {@code pending} bits are not yet in {@code bytes}
    private int pending;

    /** Writes the low {@code width} bits of {@code value}, highest first; {@code width} is 0 to 32. */
    void write(int value, int width) {
        accumulator = (accumulator << width) | (value & (0xFFFFFFFFL >>> (32 - width)));
        pending += width;
        while (pending >= 8) {
            pending -= 8;
            if (byteCount == bytes.length) {
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
            }
            bytes[byteCount++] = (byte) (accumulator >>> pending);
        }
    }

    long bitCount() {
        return 8L * byteCount + pending;
    }

    /** The bits written so far, the last byte padded with zero bits. */
    byte[] toByteArray() {
        byte[] out = Arrays.copyOf(bytes, byteCount + (pending > 0 ? 1 : 0));
        if (pending > 0) {
            out[byteCount] = (byte) (accumulator << (8 - pending));
        }
        return out;
    }
}
