package dev.verdant.compress.pack;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where one packed tensor's bytes went, every overhead counted: its header (name, dims, layout), the codebook, the
 * Huffman tables (code lengths), the relative-index (gap) stream and the value stream.
 *
 * @param name           the initializer
 * @param dims           its dims
 * @param layout         {@code raw} (stored as is), {@code dense} (every element coded) or {@code sparse} (only
 *                       nonzeros, placed by Huffman-coded gaps)
 * @param values         how values are coded: {@code raw}, {@code huffman-index} (shared weights' cluster indices),
 *                       {@code huffman-codebook} (a float tensor with at most 256 distinct values) or {@code fp32}
 * @param elements       elements in the tensor
 * @param nonzeros       elements that are not the zero value
 * @param gapBits        bits a gap may span before a filler zero is needed (0 when not sparse)
 * @param fillers        filler zeros stored because a gap overflowed {@code gapBits}
 * @param headerBytes    the tensor's header
 * @param codebookBytes  the fp32 codebook
 * @param tableBytes     Huffman code lengths, 4 bits each
 * @param gapBytes       the gap stream
 * @param valueBytes     the value stream (or the raw data)
 * @param originalBytes  the tensor's values as stored in the ONNX file
 */
public record TensorStats(String name, long[] dims, String layout, String values, long elements, long nonzeros,
                          int gapBits, long fillers, long headerBytes, long codebookBytes, long tableBytes,
                          long gapBytes, long valueBytes, long originalBytes) {

    public TensorStats {
        dims = dims.clone();
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    /** Every byte the tensor takes in the container. */
    public long packedBytes() {
        return headerBytes + codebookBytes + tableBytes + gapBytes + valueBytes;
    }

    /** Packed bits per element, all overheads included. */
    public double bitsPerElement() {
        return elements == 0 ? 0 : 8.0 * packedBytes() / elements;
    }

    /** The row as a map for facts and JSON. */
    public Map<String, Object> toFact() {
        Map<String, Object> fact = new LinkedHashMap<>();
        fact.put("tensor", name);
        fact.put("dims", Arrays.stream(dims).boxed().toList());
        fact.put("layout", layout);
        fact.put("values", values);
        fact.put("elements", elements);
        fact.put("nonzeros", nonzeros);
        fact.put("gapBits", gapBits);
        fact.put("fillers", fillers);
        fact.put("headerBytes", headerBytes);
        fact.put("codebookBytes", codebookBytes);
        fact.put("tableBytes", tableBytes);
        fact.put("gapBytes", gapBytes);
        fact.put("valueBytes", valueBytes);
        fact.put("packedBytes", packedBytes());
        fact.put("originalBytes", originalBytes);
        fact.put("bitsPerElement", bitsPerElement());
        return fact;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TensorStats s && name.equals(s.name) && Arrays.equals(dims, s.dims)
                && packedBytes() == s.packedBytes() && layout.equals(s.layout) && values.equals(s.values);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Long.hashCode(packedBytes());
    }
}
