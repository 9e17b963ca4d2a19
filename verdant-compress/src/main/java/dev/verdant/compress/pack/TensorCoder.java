package dev.verdant.compress.pack;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.verdant.io.MessageText;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.onnx.Tensors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Codes one tensor of a {@code .vdz} file: picks raw, dense or sparse layout (and, when sparse, the gap width) by
 * the exact number of bytes each would take, writes it, and reads it back. See {@code docs/vdz-format.md}.
 *
 * <p>A tensor is seen as a sequence of symbols with one zero symbol: a shared weight's cluster indices (the zero
 * symbol is the code whose codebook value is +0.0), a float tensor's index into its own table of at most 256
 * distinct values, or a float tensor's raw bits (zero symbol: the bits of +0.0, so -0.0 stays exact). The sparse
 * layout stores only non-zero symbols, each after a Huffman-coded gap (relative index, Han et al.); a gap longer
 * than 2^gapBits - 1 is bridged by filler zero entries.
 */
final class TensorCoder {

    static final int LAYOUT_RAW = 0;
    static final int LAYOUT_DENSE = 1;
    static final int LAYOUT_SPARSE = 2;
    static final int VALUES_INDEX = 0;
    static final int VALUES_CODEBOOK = 1;
    static final int VALUES_FP32 = 2;
    static final int MAX_GAP_BITS = 8;
    /** A float tensor with at most this many distinct values is coded through its own table of them. */
    static final int MAX_CODEBOOK = 256;
    private static final int MAX_RANK = 32;

    private TensorCoder() {
    }

    /** The tensor as symbols, ready to code. */
    private record Symbols(int coding, int[] symbols, int zeroSymbol, int alphabetSize, float[] codebook) {
    }

    /** The cheapest layout for a tensor, with its exact cost in bits. */
    private record Plan(int layout, int gapBits, long bits) {
    }

    /**
     * Writes a uint8 index tensor of a shared weight whose codebook value +0.0 sits at {@code zeroCode} (-1: none).
     */
    static TensorStats writeIndices(ByteSink out, TensorProto tensor, int position, int zeroCode) {
        byte[] raw = Tensors.toRawBytes(tensor);
        int[] symbols = new int[raw.length];
        int max = Math.max(zeroCode, 0);
        for (int i = 0; i < raw.length; i++) {
            symbols[i] = raw[i] & 0xFF;
            max = Math.max(max, symbols[i]);
        }
        return write(out, tensor, position, new Symbols(VALUES_INDEX, symbols, zeroCode, max + 1, null));
    }

    /** Writes a float32 tensor. */
    static TensorStats writeFloats(ByteSink out, TensorProto tensor, int position) {
        float[] values = Tensors.toFloats(tensor);
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        Map<Integer, Integer> codeOfBits = new HashMap<>();
        for (int b : bits) {
            if (codeOfBits.putIfAbsent(b, 0) == null && codeOfBits.size() > MAX_CODEBOOK) {
                return write(out, tensor, position, new Symbols(VALUES_FP32, bits, 0, 0, null));
            }
        }
        float[] codebook = new float[codeOfBits.size()];
        int k = 0;
        for (int b : codeOfBits.keySet()) {
            codebook[k++] = Float.intBitsToFloat(b);
        }
        Arrays.sort(codebook); // by value, -0.0 before +0.0, so the table reads well in a dump
        for (int code = 0; code < codebook.length; code++) {
            codeOfBits.put(Float.floatToRawIntBits(codebook[code]), code);
        }
        int[] symbols = new int[bits.length];
        for (int i = 0; i < bits.length; i++) {
            symbols[i] = codeOfBits.get(bits[i]);
        }
        int zero = codeOfBits.getOrDefault(0, -1);
        return write(out, tensor, position, new Symbols(VALUES_CODEBOOK, symbols, zero, codebook.length, codebook));
    }

    private static TensorStats write(ByteSink out, TensorProto tensor, int position, Symbols s) {
        int start = out.size();
        DataType type = DataType.of(tensor);
        long[] dims = Tensors.dims(tensor);
        byte[] rawBytes = Tensors.toRawBytes(tensor);
        out.string(tensor.getName());
        out.varint(position);
        out.u8(type.code());
        out.varint(dims.length);
        for (long dim : dims) {
            out.varint(dim);
        }
        Plan plan = plan(s, rawBytes.length);
        out.u8(plan.layout());
        int n = s.symbols().length;
        long nonzeros = Arrays.stream(s.symbols()).filter(v -> v != s.zeroSymbol()).count();
        if (plan.layout() == LAYOUT_RAW) {
            out.varint(rawBytes.length);
            out.bytes(rawBytes);
            return new TensorStats(tensor.getName(), dims, "raw", "raw", n, nonzeros, 0, 0,
                    out.size() - start - rawBytes.length, 0, 0, 0, rawBytes.length, rawBytes.length);
        }
        out.u8(s.coding());
        long codebookBytes = 0;
        if (s.coding() == VALUES_CODEBOOK) {
            int before = out.size();
            out.varint(s.codebook().length);
            for (float value : s.codebook()) {
                out.u32(Float.floatToRawIntBits(value));
            }
            codebookBytes = out.size() - before;
        }
        boolean sparse = plan.layout() == LAYOUT_SPARSE;
        int maxGap = (1 << plan.gapBits()) - 1;
        long[] gapCounts = new long[maxGap + 1];
        long[] symbolCounts = new long[Math.max(s.alphabetSize(), 1)];
        long entries = countEntries(s, sparse, maxGap, gapCounts, symbolCounts);
        CanonicalHuffman gapCode = sparse ? CanonicalHuffman.fromCounts(gapCounts) : null;
        CanonicalHuffman symbolCode = s.coding() == VALUES_FP32 ? null : CanonicalHuffman.fromCounts(symbolCounts);
        if (sparse) {
            out.u8(plan.gapBits());
            if (s.coding() != VALUES_FP32) {
                out.varint(s.zeroSymbol());
            }
            out.varint(entries);
        }
        long tableBytes = 0;
        if (sparse) {
            tableBytes += writeLengths(out, gapCode.lengths());
        }
        if (symbolCode != null) {
            out.varint(s.alphabetSize());
            tableBytes += writeLengths(out, symbolCode.lengths());
        }
        BitWriter gaps = new BitWriter();
        BitWriter values = new BitWriter();
        long fillers = 0;
        if (sparse) {
            int last = -1;
            for (int i = 0; i < n; i++) {
                int symbol = s.symbols()[i];
                if (symbol == s.zeroSymbol()) {
                    continue;
                }
                int gap = i - last - 1;
                while (gap > maxGap) {
                    gapCode.encode(maxGap, gaps);
                    writeValue(s.zeroSymbol(), symbolCode, values);
                    gap -= maxGap + 1;
                    fillers++;
                }
                gapCode.encode(gap, gaps);
                writeValue(symbol, symbolCode, values);
                last = i;
            }
            out.block(gaps.toByteArray());
        } else {
            for (int symbol : s.symbols()) {
                writeValue(symbol, symbolCode, values);
            }
        }
        out.block(values.toByteArray());
        long gapBytes = sparse ? (gaps.bitCount() + 7) / 8 : 0;
        long valueBytes = (values.bitCount() + 7) / 8;
        long total = out.size() - start;
        String valuesName = switch (s.coding()) {
            case VALUES_INDEX -> "huffman-index";
            case VALUES_CODEBOOK -> "huffman-codebook";
            default -> "fp32";
        };
        return new TensorStats(tensor.getName(), dims, sparse ? "sparse" : "dense", valuesName, n, nonzeros,
                plan.gapBits(), fillers, total - codebookBytes - tableBytes - gapBytes - valueBytes, codebookBytes,
                tableBytes, gapBytes, valueBytes, rawBytes.length);
    }

    private static void writeValue(int symbol, CanonicalHuffman symbolCode, BitWriter values) {
        if (symbolCode == null) {
            values.write(symbol, 32);
        } else {
            symbolCode.encode(symbol, values);
        }
    }

    /**
     * Fills the gap and symbol counts the layout will code and returns the number of entries (fillers included).
     */
    private static long countEntries(Symbols s, boolean sparse, int maxGap, long[] gapCounts, long[] symbolCounts) {
        if (!sparse) {
            if (s.coding() != VALUES_FP32) {
                for (int symbol : s.symbols()) {
                    symbolCounts[symbol]++;
                }
            }
            return s.symbols().length;
        }
        long[] gapHistogram = gapHistogram(s);
        long entries = 0;
        long fillers = 0;
        for (int gap = 0; gap < gapHistogram.length; gap++) {
            long count = gapHistogram[gap];
            if (count == 0) {
                continue;
            }
            long perGap = gap / (maxGap + 1);
            gapCounts[gap % (maxGap + 1)] += count;
            gapCounts[maxGap] += perGap * count;
            fillers += perGap * count;
            entries += count;
        }
        if (s.coding() != VALUES_FP32) {
            for (int symbol : s.symbols()) {
                if (symbol != s.zeroSymbol()) {
                    symbolCounts[symbol]++;
                }
            }
            symbolCounts[s.zeroSymbol()] += fillers;
        }
        return entries + fillers;
    }

    /** How often each gap (zeros before a nonzero symbol) occurs. */
    private static long[] gapHistogram(Symbols s) {
        int[] symbols = s.symbols();
        int maxGap = 0;
        int last = -1;
        for (int i = 0; i < symbols.length; i++) {
            if (symbols[i] != s.zeroSymbol()) {
                maxGap = Math.max(maxGap, i - last - 1);
                last = i;
            }
        }
        long[] histogram = new long[maxGap + 1];
        last = -1;
        for (int i = 0; i < symbols.length; i++) {
            if (symbols[i] != s.zeroSymbol()) {
                histogram[i - last - 1]++;
                last = i;
            }
        }
        return histogram;
    }

    /** Tries raw, dense and each sparse gap width, and keeps the one with the fewest bytes. */
    private static Plan plan(Symbols s, int rawBytes) {
        Plan best = new Plan(LAYOUT_RAW, 0, 8L * rawBytes);
        int alphabet = Math.max(s.alphabetSize(), 1);
        long codebookBits = s.coding() == VALUES_CODEBOOK ? 32L * s.codebook().length : 0;
        long symbolTableBits = s.coding() == VALUES_FP32 ? 0 : 8L * nibbleBytes(alphabet);
        long[] symbolCounts = new long[alphabet];
        countEntries(s, false, 0, null, symbolCounts);
        long denseBits = codebookBits + symbolTableBits + (s.coding() == VALUES_FP32
                ? 32L * s.symbols().length : roundToBytes(CanonicalHuffman.fromCounts(symbolCounts).encodedBits(symbolCounts)));
        if (denseBits < best.bits()) {
            best = new Plan(LAYOUT_DENSE, 0, denseBits);
        }
        if (s.zeroSymbol() < 0) {
            return best;
        }
        for (int gapBits = 1; gapBits <= MAX_GAP_BITS; gapBits++) {
            int maxGap = (1 << gapBits) - 1;
            long[] gapCounts = new long[maxGap + 1];
            Arrays.fill(symbolCounts, 0);
            long entries = countEntries(s, true, maxGap, gapCounts, symbolCounts);
            long valueBits = s.coding() == VALUES_FP32 ? 32L * entries
                    : roundToBytes(CanonicalHuffman.fromCounts(symbolCounts).encodedBits(symbolCounts));
            long gapBitsTotal = roundToBytes(CanonicalHuffman.fromCounts(gapCounts).encodedBits(gapCounts));
            long bits = codebookBits + symbolTableBits + 8L * nibbleBytes(maxGap + 1) + gapBitsTotal + valueBits;
            if (bits < best.bits()) {
                best = new Plan(LAYOUT_SPARSE, gapBits, bits);
            }
        }
        return best;
    }

    private static long roundToBytes(long bits) {
        return (bits + 7) / 8 * 8;
    }

    /** Code lengths as 4-bit nibbles, high nibble first; returns the bytes written. */
    private static int writeLengths(ByteSink out, int[] lengths) {
        for (int i = 0; i < lengths.length; i += 2) {
            int high = lengths[i];
            int low = i + 1 < lengths.length ? lengths[i + 1] : 0;
            out.u8(high << 4 | low);
        }
        return nibbleBytes(lengths.length);
    }

    private static int[] readLengths(ByteSource in, int count) {
        int[] lengths = new int[count];
        for (int i = 0; i < count; i += 2) {
            int b = in.u8();
            lengths[i] = b >>> 4;
            if (i + 1 < count) {
                lengths[i + 1] = b & 0x0F;
            }
        }
        return lengths;
    }

    private static int nibbleBytes(int count) {
        return (count + 1) / 2;
    }

    /**
     * A decoded tensor and where it goes in the initializer list.
     *
     * @param tensor   the tensor, values as raw data
     * @param position its index among the model's initializers
     */
    record Decoded(TensorProto tensor, int position) {
    }

    /** Reads one tensor written by {@link #writeFloats} or {@link #writeIndices}. */
    static Decoded read(ByteSource in) {
        return read(in, Integer.MAX_VALUE);
    }

    /**
     * Reads one tensor whose position among the initializers must be below {@code slots}: checked before the values
     * are decoded, since a sparse tensor of a few bytes may declare a billion zeros.
     */
    static Decoded read(ByteSource in, int slots) {
        String name = in.string();
        int position = in.varint("tensor position", slots - 1L);
        DataType type = DataType.of(in.u8());
        int rank = in.varint("tensor rank", MAX_RANK);
        long[] dims = new long[rank];
        long count = 1;
        for (int d = 0; d < rank; d++) {
            dims[d] = in.varint();
            // each dim is checked before it multiplies, so no product can overflow
            if (dims[d] < 0 || dims[d] > Integer.MAX_VALUE || (count = count * dims[d]) > Integer.MAX_VALUE) {
                throw ByteSource.corrupt("tensor " + MessageText.quote(name)
                        + " has impossible dims " + Arrays.toString(dims));
            }
        }
        int n = (int) count;
        if (count * Math.max(1, type.bytes()) > OnnxModels.MAX_MODEL_BYTES) {
            throw ByteSource.corrupt("tensor " + MessageText.quote(name)
                    + " claims " + count + " elements, more than a model holds");
        }
        requireHeapFor(name, count * (Integer.BYTES + Math.max(1, type.bytes())));
        int layout = in.u8();
        if (layout == LAYOUT_RAW) {
            int length = in.varint("raw length", in.remaining());
            int offset = in.skip(length);
            return new Decoded(Tensors.raw(name, type, dims, Arrays.copyOfRange(in.array(), offset, offset + length)),
                    position);
        }
        if (layout != LAYOUT_DENSE && layout != LAYOUT_SPARSE) {
            throw ByteSource.corrupt("tensor " + MessageText.quote(name) + " has unknown layout " + layout);
        }
        int coding = in.u8();
        if (coding > VALUES_FP32 || (coding == VALUES_INDEX) != (type == DataType.UINT8)
                || (coding != VALUES_INDEX && type != DataType.FLOAT)) {
            throw ByteSource.corrupt("tensor " + MessageText.quote(name) + " has value coding " + coding + " for type "
                    + type.onnxName());
        }
        float[] codebook = null;
        if (coding == VALUES_CODEBOOK) {
            codebook = new float[in.varint("codebook size", MAX_CODEBOOK)];
            for (int i = 0; i < codebook.length; i++) {
                codebook[i] = Float.intBitsToFloat(in.u32());
            }
        }
        boolean sparse = layout == LAYOUT_SPARSE;
        int gapBits = 0;
        int zeroSymbol = 0;
        long entries = n;
        if (sparse) {
            gapBits = in.u8();
            if (gapBits < 1 || gapBits > MAX_GAP_BITS) {
                throw ByteSource.corrupt("tensor " + MessageText.quote(name) + " has gap width " + gapBits);
            }
            if (coding != VALUES_FP32) {
                zeroSymbol = in.varint("zero symbol", MAX_CODEBOOK);
            }
            entries = in.varint("entry count", n);
        }
        CanonicalHuffman gapCode = sparse ? CanonicalHuffman.fromLengths(readLengths(in, 1 << gapBits)) : null;
        CanonicalHuffman symbolCode = null;
        if (coding != VALUES_FP32) {
            int alphabet = in.varint("alphabet size", MAX_CODEBOOK);
            symbolCode = CanonicalHuffman.fromLengths(readLengths(in, alphabet));
        }
        BitReader gaps = null;
        if (sparse) {
            int length = in.varint("gap stream length", in.remaining());
            gaps = new BitReader(in.array(), in.skip(length), length);
        }
        int valueLength = in.varint("value stream length", in.remaining());
        BitReader values = new BitReader(in.array(), in.skip(valueLength), valueLength);
        if (!sparse && (long) n > 8L * valueLength) { // every dense element takes at least one bit
            throw ByteSource.corrupt("tensor " + MessageText.quote(name) + " has " + n + " elements but " + valueLength
                    + " bytes of values");
        }
        int[] symbols = new int[n];
        if (sparse) {
            Arrays.fill(symbols, zeroSymbol);
            long at = -1;
            for (long e = 0; e < entries; e++) {
                at += gapCode.decode(gaps) + 1;
                if (at >= n) {
                    throw ByteSource.corrupt("tensor " + MessageText.quote(name) + " places a value past its end");
                }
                symbols[(int) at] = readValue(symbolCode, values);
            }
        } else {
            for (int i = 0; i < n; i++) {
                symbols[i] = readValue(symbolCode, values);
            }
        }
        return new Decoded(toTensor(name, type, dims, symbols, coding, codebook), position);
    }

    /**
     * Refuses, with one line, a tensor whose decoding needs more memory than this JVM may still take: a sparse
     * tensor can declare far more elements than its bytes hold, and allocating for them would end in an
     * OutOfMemoryError.
     */
    private static void requireHeapFor(String name, long bytes) {
        Runtime runtime = Runtime.getRuntime();
        long available = runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
        if (bytes > available) {
            throw new IllegalArgumentException("tensor " + MessageText.quote(name)
                    + " unpacks to " + bytes / (1 << 20) + " MB, more "
                    + "than this JVM's heap has left (" + available / (1 << 20) + " MB); raise -Xmx (JAVA_OPTS) to "
                    + "unpack it");
        }
    }

    private static int readValue(CanonicalHuffman symbolCode, BitReader values) {
        return symbolCode == null ? values.read(32) : symbolCode.decode(values);
    }

    private static TensorProto toTensor(String name, DataType type, long[] dims, int[] symbols, int coding,
                                        float[] codebook) {
        if (coding == VALUES_INDEX) {
            byte[] bytes = new byte[symbols.length];
            for (int i = 0; i < symbols.length; i++) {
                if (symbols[i] > 0xFF) {
                    throw ByteSource.corrupt("tensor " + MessageText.quote(name)
                            + " holds index " + symbols[i] + " in uint8");
                }
                bytes[i] = (byte) symbols[i];
            }
            return Tensors.raw(name, type, dims, bytes);
        }
        ByteBuffer buffer = ByteBuffer.allocate(symbols.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int symbol : symbols) {
            if (coding == VALUES_CODEBOOK && symbol >= codebook.length) {
                throw ByteSource.corrupt("tensor " + MessageText.quote(name)
                        + " uses code " + symbol + " past its codebook");
            }
            buffer.putInt(coding == VALUES_CODEBOOK ? Float.floatToRawIntBits(codebook[symbol]) : symbol);
        }
        return Tensors.raw(name, type, dims, buffer.array());
    }
}
