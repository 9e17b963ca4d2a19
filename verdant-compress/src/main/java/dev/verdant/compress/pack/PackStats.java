package dev.verdant.compress.pack;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The size of a {@code .vdz} file, taken apart: its header, the graph skeleton (everything but the coded tensors,
 * deflated when that is smaller), each coded tensor, and the checksum. The parts add up to the file's length.
 *
 * @param headerBytes        magic, version, skeleton and tensor-count fields
 * @param skeletonBytes      the skeleton as stored
 * @param skeletonModelBytes the skeleton as an ONNX protobuf before deflating
 * @param tensors            the coded tensors, in file order
 * @param checksumBytes      the CRC-32C trailer
 * @param modelBytes         the packed model's size as an ONNX protobuf, for the ratio
 */
public record PackStats(long headerBytes, long skeletonBytes, long skeletonModelBytes, List<TensorStats> tensors,
                        long checksumBytes, long modelBytes) {

    public PackStats {
        tensors = List.copyOf(tensors);
    }

    /** The container's length in bytes. */
    public long totalBytes() {
        return headerBytes + skeletonBytes + tensorBytes() + checksumBytes;
    }

    /** Bytes of all coded tensors with their headers, codebooks and tables. */
    public long tensorBytes() {
        return tensors.stream().mapToLong(TensorStats::packedBytes).sum();
    }

    /** The ONNX model's size over the container's. */
    public double ratio() {
        return (double) modelBytes / totalBytes();
    }

    /** The summary and per-tensor rows as a map for facts and JSON. */
    public Map<String, Object> toFact() {
        Map<String, Object> fact = new LinkedHashMap<>();
        fact.put("modelBytes", modelBytes);
        fact.put("packedBytes", totalBytes());
        fact.put("ratio", ratio());
        fact.put("headerBytes", headerBytes);
        fact.put("skeletonBytes", skeletonBytes);
        fact.put("skeletonModelBytes", skeletonModelBytes);
        fact.put("tensorBytes", tensorBytes());
        fact.put("checksumBytes", checksumBytes);
        fact.put("tensors", tensors.stream().map(TensorStats::toFact).toList());
        return fact;
    }
}
