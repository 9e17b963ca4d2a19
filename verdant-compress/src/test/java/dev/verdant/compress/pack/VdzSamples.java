package dev.verdant.compress.pack;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.compress.PassContext;
import dev.verdant.compress.prune.MagnitudePruner;
import dev.verdant.compress.prune.PruningTarget;
import dev.verdant.compress.share.SharingBits;
import dev.verdant.compress.share.WeightSharer;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.build.Dim;
import dev.verdant.onnx.build.OnnxModelBuilder;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;

/**
 * Small valid {@code .vdz} files for the reader's property and fuzz tests (a dense model, and one pruned and shared
 * so that the sparse and Huffman-coded paths are read too), and the checksum a mutated file needs to reach them.
 */
final class VdzSamples {

    private VdzSamples() {
    }

    /** x[batch, 16] -> MatMul(w1[16, 8]) -> Relu -> MatMul(w2[8, 4]) -> y, Gaussian weights. */
    static ModelProto tinyMlp(long seed) {
        Random random = new Random(seed);
        OnnxModelBuilder b = OnnxModelBuilder.create("tiny_mlp");
        String x = b.input("x", DataType.FLOAT, Dim.named("batch"), Dim.of(16));
        String h = b.node("MatMul").name("fc1").inputs(x, b.initializer("w1", new long[] {16, 8}, gaussian(random, 128)))
                .output("h");
        String r = b.node("Relu").name("relu").inputs(h).output("r");
        String y = b.node("MatMul").name("fc2").inputs(r, b.initializer("w2", new long[] {8, 4}, gaussian(random, 32)))
                .output("y");
        b.output(y, DataType.FLOAT, Dim.named("batch"), Dim.of(4));
        return b.build();
    }

    /** The dense and the pruned-and-shared tiny model, packed. */
    static List<byte[]> valid() {
        ModelProto dense = tinyMlp(1);
        PassContext context = PassContext.withoutData(1);
        ModelProto pruned = new MagnitudePruner(new PruningTarget.Global(0.7)).apply(dense, context).model();
        ModelProto shared = new WeightSharer(SharingBits.uniform(3)).apply(pruned, context).model();
        return List.of(VdzContainer.pack(dense).bytes(), VdzContainer.pack(shared).bytes());
    }

    /**
     * {@code bytes} with its last four bytes replaced by the CRC-32C of the rest, as a writer would have sealed
     * them: a mutated file then gets past the checksum to the parser behind it.
     */
    static byte[] sealed(byte[] bytes) {
        if (bytes.length < 4) {
            return bytes;
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        ByteSink sink = new ByteSink();
        sink.bytes(Arrays.copyOf(bytes, bytes.length - 4));
        sink.u32((int) crc.getValue());
        return sink.toByteArray();
    }

    private static float[] gaussian(Random random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (random.nextGaussian() * 0.3);
        }
        return values;
    }
}
