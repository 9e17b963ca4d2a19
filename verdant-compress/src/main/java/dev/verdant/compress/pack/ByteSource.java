package dev.verdant.compress.pack;

import java.nio.charset.StandardCharsets;

/** Reads what {@link ByteSink} writes, refusing to run past the end: any overrun means a corrupt file. */
final class ByteSource {

    private final byte[] bytes;
    private final int end;
    private int position;

    ByteSource(byte[] bytes, int offset, int end) {
        this.bytes = bytes;
        this.position = offset;
        this.end = end;
    }

    int u8() {
        require(1);
        return bytes[position++] & 0xFF;
    }

    int u32() {
        require(4);
        int value = 0;
        for (int i = 0; i < 4; i++) {
            value |= (bytes[position++] & 0xFF) << (8 * i);
        }
        return value;
    }

    long varint() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = u8();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw corrupt("a varint is too long");
    }

    /** A varint that must fit an int in [0, max]. */
    int varint(String what, long max) {
        long value = varint();
        if (value < 0 || value > max) {
            throw corrupt(what + " " + value + " is out of range");
        }
        return (int) value;
    }

    String string() {
        int length = varint("string length", end - position);
        String value = new String(bytes, position, length, StandardCharsets.UTF_8);
        position += length;
        return value;
    }

    /** Skips a block and returns its offset in the array (its length is {@code blockLength}). */
    int skip(int length) {
        require(length);
        int start = position;
        position += length;
        return start;
    }

    int remaining() {
        return end - position;
    }

    byte[] array() {
        return bytes;
    }

    private void require(int count) {
        if (count < 0 || position + count > end) {
            throw corrupt("it ends early");
        }
    }

    static IllegalArgumentException corrupt(String why) {
        return new IllegalArgumentException("corrupt .vdz: " + why);
    }
}
