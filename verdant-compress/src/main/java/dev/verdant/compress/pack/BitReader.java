package dev.verdant.compress.pack;

/** Reads bits most-significant first from a byte array slice, refusing to read past its end (a corrupt file). */
final class BitReader {

    private final byte[] bytes;
    private final long endBit;
    private long position;

    BitReader(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.position = (long) offset * 8;
        this.endBit = (long) (offset + length) * 8;
    }

    int readBit() {
        if (position >= endBit) {
            throw new IllegalArgumentException("corrupt .vdz: a bit stream ends early");
        }
        int bit = (bytes[(int) (position >>> 3)] >>> (7 - (position & 7))) & 1;
        position++;
        return bit;
    }

    int read(int width) {
        int value = 0;
        for (int i = 0; i < width; i++) {
            value = (value << 1) | readBit();
        }
        return value;
    }
}
