package dev.verdant.compress.pack;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** The container's primitive writes: bytes, little-endian words, unsigned LEB128 varints and strings. */
final class ByteSink {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    void u8(int value) {
        out.write(value);
    }

    void u32(int value) {
        for (int i = 0; i < 4; i++) {
            out.write(value >>> (8 * i));
        }
    }

    void varint(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("varint of a negative number " + value);
        }
        while (value >= 0x80) {
            out.write((int) (value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
    }

    void string(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        varint(utf8.length);
        out.writeBytes(utf8);
    }

    void bytes(byte[] value) {
        out.writeBytes(value);
    }

    /** A varint length, then the bytes. */
    void block(byte[] value) {
        varint(value.length);
        out.writeBytes(value);
    }

    int size() {
        return out.size();
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    /** Bytes a varint of this value takes. */
    static int varintSize(long value) {
        int size = 1;
        while (value >= 0x80) {
            value >>>= 7;
            size++;
        }
        return size;
    }
}
