package dev.verdant.compress.pack;

import java.util.Arrays;
import java.util.PriorityQueue;

/**
 * A canonical Huffman code over symbols {@code 0..n-1}: built from symbol counts with lengths capped at
 * {@link #MAX_CODE_LENGTH}, and fully described by its code lengths, so a file stores one 4-bit length per symbol
 * and no tree. Codes are assigned in (length, symbol) order, as in DEFLATE (RFC 1951, 3.2.2).
 */
final class CanonicalHuffman {

    /** Longest code; 15 keeps each length in one 4-bit nibble, as DEFLATE does. */
    static final int MAX_CODE_LENGTH = 15;

    private final int[] lengths;
    private final int[] codes;
    // decoding tables: for each length, the first canonical code, how many codes, and where their symbols start
    private final int[] firstCode = new int[MAX_CODE_LENGTH + 1];
    private final int[] countOfLength = new int[MAX_CODE_LENGTH + 1];
    private final int[] firstIndex = new int[MAX_CODE_LENGTH + 1];
    private final int[] symbolsByCode;

    private CanonicalHuffman(int[] lengths) {
        this.lengths = lengths;
        this.codes = new int[lengths.length];
        long kraft = 0; // sum of 2^(MAX - length): a prefix code needs at most 2^MAX
        int used = 0;
        for (int length : lengths) {
            if (length < 0 || length > MAX_CODE_LENGTH) {
                throw new IllegalArgumentException("corrupt .vdz: Huffman code length " + length);
            }
            if (length > 0) {
                countOfLength[length]++;
                kraft += 1L << (MAX_CODE_LENGTH - length);
                used++;
            }
        }
        if (kraft > (1L << MAX_CODE_LENGTH)) {
            throw new IllegalArgumentException("corrupt .vdz: Huffman code lengths do not form a prefix code");
        }
        symbolsByCode = new int[used];
        int code = 0;
        int index = 0;
        for (int length = 1; length <= MAX_CODE_LENGTH; length++) {
            firstCode[length] = code;
            firstIndex[length] = index;
            for (int symbol = 0; symbol < lengths.length; symbol++) {
                if (lengths[symbol] == length) {
                    codes[symbol] = code++;
                    symbolsByCode[index++] = symbol;
                }
            }
            code <<= 1;
        }
    }

    /** The code for the given counts (a symbol with count 0 gets no code). */
    static CanonicalHuffman fromCounts(long[] counts) {
        return new CanonicalHuffman(codeLengths(counts));
    }

    /** The code a file describes by its lengths. */
    static CanonicalHuffman fromLengths(int[] lengths) {
        return new CanonicalHuffman(lengths.clone());
    }

    /** One length per symbol, 0 for an unused symbol. */
    int[] lengths() {
        return lengths.clone();
    }

    void encode(int symbol, BitWriter out) {
        if (symbol < 0 || symbol >= lengths.length || lengths[symbol] == 0) {
            throw new IllegalStateException("symbol " + symbol + " has no Huffman code");
        }
        out.write(codes[symbol], lengths[symbol]);
    }

    int decode(BitReader in) {
        int code = 0;
        for (int length = 1; length <= MAX_CODE_LENGTH; length++) {
            code = (code << 1) | in.readBit();
            int offset = code - firstCode[length];
            if (offset >= 0 && offset < countOfLength[length]) {
                return symbolsByCode[firstIndex[length] + offset];
            }
        }
        throw new IllegalArgumentException("corrupt .vdz: a bit pattern matches no Huffman code");
    }

    /** Bits the counts take under this code. */
    long encodedBits(long[] counts) {
        long bits = 0;
        for (int symbol = 0; symbol < counts.length; symbol++) {
            bits += counts[symbol] * lengths[symbol];
        }
        return bits;
    }

    /**
     * Huffman code lengths for the counts, capped at {@link #MAX_CODE_LENGTH}: when the optimal tree is deeper, the
     * counts are halved (never below 1) and the tree rebuilt, which flattens it at a tiny cost in size.
     */
    static int[] codeLengths(long[] counts) {
        long[] scaled = counts.clone();
        while (true) {
            int[] lengths = unlimitedLengths(scaled);
            if (Arrays.stream(lengths).max().orElse(0) <= MAX_CODE_LENGTH) {
                return lengths;
            }
            for (int i = 0; i < scaled.length; i++) {
                if (scaled[i] > 0) {
                    scaled[i] = Math.max(1, scaled[i] >>> 1);
                }
            }
        }
    }

    private static int[] unlimitedLengths(long[] counts) {
        int n = counts.length;
        int[] lengths = new int[n];
        // tree nodes: leaves 0..n-1, internal nodes after; parent links give each leaf's depth
        int[] parent = new int[2 * n];
        long[] weight = new long[2 * n];
        PriorityQueue<Integer> queue = new PriorityQueue<>((a, b) -> weight[a] != weight[b]
                ? Long.compare(weight[a], weight[b]) : Integer.compare(a, b));
        int used = 0;
        for (int symbol = 0; symbol < n; symbol++) {
            if (counts[symbol] > 0) {
                weight[symbol] = counts[symbol];
                queue.add(symbol);
                used++;
            }
        }
        if (used == 1) {
            lengths[queue.poll()] = 1; // one symbol still needs one bit per occurrence to be decodable
            return lengths;
        }
        int next = n;
        while (queue.size() > 1) {
            int a = queue.poll();
            int b = queue.poll();
            weight[next] = weight[a] + weight[b];
            parent[a] = next;
            parent[b] = next;
            queue.add(next++);
        }
        int root = next - 1;
        for (int symbol = 0; symbol < n; symbol++) {
            if (counts[symbol] > 0) {
                int depth = 0;
                for (int node = symbol; node != root; node = parent[node]) {
                    depth++;
                }
                lengths[symbol] = depth;
            }
        }
        return lengths;
    }
}
