package dev.verdant.compress.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CanonicalHuffmanTest {

    /** Byte frequencies of real data: the pixels of Fashion-MNIST images (very skewed toward 0). */
    private static int[] realSymbols() {
        float[] pixels = TestModels.fashionMnistPixels(20_000, 0);
        int[] symbols = new int[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            symbols[i] = Math.round(pixels[i] * 255);
        }
        return symbols;
    }

    @Test
    void roundTripsRealDataInFewerBitsThanFixedLengthAndWithinOneBitOfEntropy() {
        int[] symbols = realSymbols();
        long[] counts = new long[256];
        for (int s : symbols) {
            counts[s]++;
        }
        CanonicalHuffman code = CanonicalHuffman.fromCounts(counts);
        BitWriter out = new BitWriter();
        for (int s : symbols) {
            code.encode(s, out);
        }
        assertThat(out.bitCount()).isEqualTo(code.encodedBits(counts)).isLessThan(8L * symbols.length);
        double entropyBits = 0;
        for (long c : counts) {
            if (c > 0) {
                double p = (double) c / symbols.length;
                entropyBits -= c * Math.log(p) / Math.log(2);
            }
        }
        assertThat((double) out.bitCount()).isBetween(entropyBits, entropyBits + symbols.length);

        CanonicalHuffman decoder = CanonicalHuffman.fromLengths(code.lengths());
        byte[] bytes = out.toByteArray();
        BitReader in = new BitReader(bytes, 0, bytes.length);
        for (int s : symbols) {
            assertThat(decoder.decode(in)).isEqualTo(s);
        }
    }

    @Test
    void lengthsAreCappedAtFifteenBitsEvenForFibonacciCounts() {
        long[] counts = new long[40]; // Fibonacci counts make the deepest possible Huffman tree (39 levels)
        counts[0] = 1;
        counts[1] = 1;
        for (int i = 2; i < counts.length; i++) {
            counts[i] = counts[i - 1] + counts[i - 2];
        }
        int[] lengths = CanonicalHuffman.codeLengths(counts);
        assertThat(Arrays.stream(lengths).max().orElseThrow()).isLessThanOrEqualTo(CanonicalHuffman.MAX_CODE_LENGTH);
        double kraft = Arrays.stream(lengths).mapToDouble(l -> Math.pow(2, -l)).sum();
        assertThat(kraft).isLessThanOrEqualTo(1.0);
        CanonicalHuffman code = CanonicalHuffman.fromLengths(lengths);
        BitWriter out = new BitWriter();
        for (int s = 0; s < counts.length; s++) {
            code.encode(s, out);
        }
        byte[] bytes = out.toByteArray();
        BitReader in = new BitReader(bytes, 0, bytes.length);
        for (int s = 0; s < counts.length; s++) {
            assertThat(code.decode(in)).isEqualTo(s);
        }
    }

    @Test
    void codesAreCanonicalSoLengthsAloneDescribeThem() {
        // lengths (2, 1, 3, 3) give the canonical codes 10, 0, 110, 111
        CanonicalHuffman code = CanonicalHuffman.fromLengths(new int[] {2, 1, 3, 3});
        BitWriter out = new BitWriter();
        code.encode(0, out);
        code.encode(1, out);
        code.encode(2, out);
        code.encode(3, out);
        assertThat(out.toByteArray()).containsExactly((byte) 0b10_0_110_11, (byte) 0b1000_0000);
    }

    @Test
    void oneSymbolGetsOneBitAndBadLengthsAreRefused() {
        assertThat(CanonicalHuffman.codeLengths(new long[] {0, 7, 0})).containsExactly(0, 1, 0);
        assertThatThrownBy(() -> CanonicalHuffman.fromLengths(new int[] {1, 1, 1}))
                .hasMessageContaining("corrupt .vdz");
    }
}
