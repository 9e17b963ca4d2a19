package dev.verdant.compress.pack;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.verdant.compress.prune.WeightTensors;
import dev.verdant.compress.share.SharedWeight;
import dev.verdant.io.InputFiles;
import dev.verdant.io.MessageText;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.onnx.Tensors;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The {@code .vdz} container (Deep Compression's storage step): an ONNX model whose weights are stored as
 * Huffman-coded cluster indices with Huffman-coded relative sparse indices, the rest of the graph kept as an ONNX
 * skeleton. Unpacking gives back the same graph with the same tensor bytes, so ONNX Runtime computes bit-identical
 * outputs. The layout is documented in {@code docs/vdz-format.md}.
 *
 * <p>Coded are the float32 initializers read as MatMul, Gemm or Conv weights (through their table of distinct
 * values when they have at most 256, else as raw fp32 bits) and the uint8 cluster indices of shared weights (as
 * {@link dev.verdant.compress.share.WeightSharer} writes them); everything else stays in the skeleton.
 */
public final class VdzContainer {

    /** The file's first four bytes: a non-ASCII byte (catches text-mode transfers, as PNG does), then "VDZ". */
    static final byte[] MAGIC = {(byte) 0x89, 'V', 'D', 'Z'};
    /** The format version this code writes and the newest it reads. */
    public static final int VERSION = 1;
    /** The usual file name extension. */
    public static final String EXTENSION = ".vdz";
    private static final int SKELETON_PLAIN = 0;
    private static final int SKELETON_DEFLATE = 1;
    private static final int CHECKSUM_BYTES = 4;

    private VdzContainer() {
    }

    /**
     * A packed model: the container's bytes and where they went.
     *
     * @param bytes the {@code .vdz} file's content
     * @param stats its size taken apart
     */
    public record Packed(byte[] bytes, PackStats stats) {
    }

    /**
     * Packs a model and checks the result: it is unpacked again and every tensor compared bit for bit, so a
     * packing that would not round-trip is never returned.
     */
    public static Packed pack(ModelProto model) {
        OnnxGraph graph = OnnxGraph.of(model);
        Map<String, Integer> zeroCodeOfIndices = new HashMap<>();
        for (SharedWeight shared : SharedWeight.find(graph)) {
            TensorProto indices = graph.initializer(shared.indices()).orElseThrow();
            if (DataType.of(indices) == DataType.UINT8) {
                zeroCodeOfIndices.put(shared.indices(), zeroCode(graph.initializer(shared.codebook()).orElseThrow()));
            }
        }
        Set<String> weights = WeightTensors.readAsWeights(graph);
        List<TensorProto> initializers = model.getGraph().getInitializerList();
        ByteSink tensors = new ByteSink();
        List<TensorStats> stats = new ArrayList<>();
        GraphProto.Builder skeletonGraph = model.getGraph().toBuilder().clearInitializer();
        for (int position = 0; position < initializers.size(); position++) {
            TensorProto tensor = initializers.get(position);
            Integer zeroCode = zeroCodeOfIndices.get(tensor.getName());
            if (zeroCode != null) {
                stats.add(TensorCoder.writeIndices(tensors, tensor, position, zeroCode));
            } else if (weights.contains(tensor.getName()) && DataType.of(tensor) == DataType.FLOAT) {
                stats.add(TensorCoder.writeFloats(tensors, tensor, position));
            } else {
                skeletonGraph.addInitializer(tensor);
            }
        }
        byte[] skeletonModel = model.toBuilder().setGraph(skeletonGraph).build().toByteArray();
        byte[] deflated = deflate(skeletonModel);
        boolean useDeflate = deflated.length < skeletonModel.length;
        byte[] skeleton = useDeflate ? deflated : skeletonModel;

        ByteSink file = new ByteSink();
        file.bytes(MAGIC);
        file.u8(VERSION);
        file.u8(useDeflate ? SKELETON_DEFLATE : SKELETON_PLAIN);
        file.varint(skeletonModel.length);
        file.varint(skeleton.length);
        int skeletonStart = file.size();
        file.bytes(skeleton);
        file.varint(stats.size());
        long headerBytes = file.size() - skeleton.length;
        file.bytes(tensors.toByteArray());
        CRC32C crc = new CRC32C();
        byte[] body = file.toByteArray();
        crc.update(body);
        file.u32((int) crc.getValue());
        byte[] bytes = file.toByteArray();
        PackStats packStats = new PackStats(headerBytes, skeleton.length, skeletonModel.length, stats,
                CHECKSUM_BYTES, model.getSerializedSize());
        if (packStats.totalBytes() != bytes.length || skeletonStart + skeleton.length > bytes.length) {
            throw new IllegalStateException("vdz size accounting is off: " + packStats.totalBytes() + " counted, "
                    + bytes.length + " written");
        }
        checkRoundTrip(model, unpack(bytes));
        return new Packed(bytes, packStats);
    }

    /** Reads a {@code .vdz} file and rebuilds its ONNX model. */
    public static ModelProto unpack(Path file) {
        InputFiles.requireReadable(file, "a .vdz file");
        try {
            long size = Files.size(file);
            if (size > OnnxModels.MAX_MODEL_BYTES) {
                throw new IllegalArgumentException(file + " is larger than 2 GB, which no .vdz file can be");
            }
            return unpack(Files.readAllBytes(file), file.toString());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("no such file: " + file, e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Rebuilds the ONNX model from a container's bytes. */
    public static ModelProto unpack(byte[] bytes) {
        return unpack(bytes, "the .vdz data");
    }

    private static ModelProto unpack(byte[] bytes, String origin) {
        if (bytes.length < MAGIC.length + 2 + CHECKSUM_BYTES
                || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new IllegalArgumentException(origin + " is not a .vdz file (it does not start with the .vdz magic)");
        }
        ByteSource in = new ByteSource(bytes, MAGIC.length, bytes.length - CHECKSUM_BYTES);
        int version = in.u8();
        if (version > VERSION) {
            throw new IllegalArgumentException(origin + " is .vdz format version " + version
                    + "; this Verdant reads up to version " + VERSION + ", upgrade to read it");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - CHECKSUM_BYTES);
        int stored = new ByteSource(bytes, bytes.length - CHECKSUM_BYTES, bytes.length).u32();
        if ((int) crc.getValue() != stored) {
            throw new IllegalArgumentException(origin + " is corrupt: its CRC-32C checksum does not match");
        }
        int compression = in.u8();
        int modelLength = in.varint("skeleton size", OnnxModels.MAX_MODEL_BYTES);
        int storedLength = in.varint("stored skeleton size", in.remaining());
        int offset = in.skip(storedLength);
        byte[] skeletonBytes = switch (compression) {
            case SKELETON_PLAIN -> Arrays.copyOfRange(bytes, offset, offset + storedLength);
            case SKELETON_DEFLATE -> inflate(bytes, offset, storedLength, modelLength);
            default -> throw ByteSource.corrupt("unknown skeleton compression " + compression);
        };
        ModelProto skeleton;
        try {
            skeleton = ModelProto.parseFrom(skeletonBytes);
        } catch (InvalidProtocolBufferException e) {
            throw ByteSource.corrupt("its graph skeleton is not an ONNX model");
        }
        // every coded tensor takes at least one byte: a count beyond the bytes left is corrupt, not a reason to allocate
        int count = in.varint("tensor count", in.remaining());
        int total = skeleton.getGraph().getInitializerCount() + count;
        TensorProto[] slots = new TensorProto[total];
        for (int i = 0; i < count; i++) {
            TensorCoder.Decoded decoded = TensorCoder.read(in, total);
            if (decoded.position() >= total || slots[decoded.position()] != null) {
                throw ByteSource.corrupt("tensor " + MessageText.quote(decoded.tensor().getName())
                        + " has a bad position");
            }
            slots[decoded.position()] = decoded.tensor();
        }
        if (in.remaining() != 0) {
            throw ByteSource.corrupt(in.remaining() + " unexpected bytes after the last tensor");
        }
        int next = 0;
        for (TensorProto kept : skeleton.getGraph().getInitializerList()) {
            while (slots[next] != null) {
                next++;
            }
            slots[next] = kept;
        }
        GraphProto graph = skeleton.getGraph().toBuilder().clearInitializer().addAllInitializer(Arrays.asList(slots))
                .build();
        return skeleton.toBuilder().setGraph(graph).build();
    }

    /** The index of +0.0 in a codebook, or -1 when it holds none (then no code is the zero skipped by sparsity). */
    private static int zeroCode(TensorProto codebook) {
        float[] values = Tensors.toFloats(codebook);
        for (int i = 0; i < values.length; i++) {
            if (Float.floatToRawIntBits(values[i]) == 0) {
                return i;
            }
        }
        return -1;
    }

    /** Refuses to hand out a container whose tensors do not come back bit for bit (a bug, never bad input). */
    private static void checkRoundTrip(ModelProto model, ModelProto unpacked) {
        List<TensorProto> before = model.getGraph().getInitializerList();
        List<TensorProto> after = unpacked.getGraph().getInitializerList();
        if (before.size() != after.size()) {
            throw new IllegalStateException("vdz round trip lost initializers: " + before.size() + " -> " + after.size());
        }
        for (int i = 0; i < before.size(); i++) {
            TensorProto a = before.get(i);
            TensorProto b = after.get(i);
            if (a == b) {
                continue;
            }
            if (!a.getName().equals(b.getName()) || a.getDataType() != b.getDataType()
                    || !a.getDimsList().equals(b.getDimsList())
                    || !Arrays.equals(Tensors.toRawBytes(a), Tensors.toRawBytes(b))) {
                throw new IllegalStateException("vdz round trip changed tensor " + MessageText.quote(a.getName()));
            }
        }
    }

    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
            byte[] buffer = new byte[1 << 16];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static byte[] inflate(byte[] data, int offset, int length, int expected) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data, offset, length);
            // grown as the data inflates, not allocated at the size the header declares: a few bytes declaring a
            // 2 GB skeleton are corrupt, not a reason to allocate 2 GB
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(Math.min(expected, 1 << 16));
            byte[] chunk = new byte[1 << 16];
            long filled = 0;
            while (filled <= expected && !inflater.finished()) {
                int n = inflater.inflate(chunk, 0, (int) Math.min(chunk.length, expected - filled + 1));
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                out.write(chunk, 0, n);
                filled += n;
            }
            if (filled != expected || !inflater.finished()) {
                throw ByteSource.corrupt("its graph skeleton does not inflate to " + expected + " bytes");
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw ByteSource.corrupt("its graph skeleton is not valid deflate data");
        } finally {
            inflater.end();
        }
    }
}
