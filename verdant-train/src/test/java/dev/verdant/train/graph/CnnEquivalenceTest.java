package dev.verdant.train.graph;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.data.Datasets;
import dev.verdant.data.ImageDataset;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.Tensors;
import dev.verdant.onnx.build.Dim;
import dev.verdant.onnx.build.OnnxModelBuilder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A MobileNet-style CNN (convolution, depthwise convolution with SAME padding, batch norm, Relu6, HardSwish,
 * pooling with asymmetric handling, a sigmoid gate, Gemm, Softmax), an upsampling decoder, a transformer block,
 * recurrent layers and a fake-quantized MatMul, each run on real Fashion-MNIST images through the interpreter and ONNX Runtime.
 */
class CnnEquivalenceTest {

    private static final int BATCH = 8;

    private final Random random = new Random(42);

    private float[] gaussian(int n, double scale) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (random.nextGaussian() * scale);
        }
        return values;
    }

    private float[] uniform(int n, double low, double high) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (low + random.nextDouble() * (high - low));
        }
        return values;
    }

    private String conv(OnnxModelBuilder b, String name, String x, int in, int out, int kernel, int groups,
            String... attributes) {
        String w = b.initializer(name + ".weight", new long[] {out, in / groups, kernel, kernel},
                gaussian(out * in / groups * kernel * kernel, 0.4));
        String bias = b.initializer(name + ".bias", new long[] {out}, gaussian(out, 0.1));
        OnnxModelBuilder.NodeBuilder node = b.node("Conv").name(name).inputs(x, w, bias)
                .attribute(Attributes.ofInt("group", groups));
        for (int i = 0; i < attributes.length; i += 2) {
            String key = attributes[i];
            String value = attributes[i + 1];
            node.attribute(key.equals("auto_pad") ? Attributes.ofString(key, value)
                    : Attributes.ofInts(key, Arrays.stream(value.split(",")).mapToLong(Long::parseLong).toArray()));
        }
        return node.output();
    }

    private String batchNorm(OnnxModelBuilder b, String name, String x, int channels) {
        return b.node("BatchNormalization").name(name).inputs(x,
                b.initializer(name + ".weight", new long[] {channels}, uniform(channels, 0.5, 1.5)),
                b.initializer(name + ".bias", new long[] {channels}, gaussian(channels, 0.1)),
                b.initializer(name + ".running_mean", new long[] {channels}, gaussian(channels, 0.2)),
                b.initializer(name + ".running_var", new long[] {channels}, uniform(channels, 0.5, 2.0)))
                .attribute(Attributes.ofFloat("epsilon", 1e-5f)).output();
    }

    private ModelProto mobileNetStyle() {
        OnnxModelBuilder b = OnnxModelBuilder.create("cnn").opset(17);
        String x = b.input("image", DataType.FLOAT, Dim.named("N"), Dim.of(1), Dim.of(28), Dim.of(28));
        String y = conv(b, "stem", x, 1, 8, 3, 1, "pads", "1,1,1,1");
        y = batchNorm(b, "stem_bn", y, 8);
        y = b.node("Clip").name("relu6").inputs(y, b.floatScalar("zero", 0f), b.floatScalar("six", 6f)).output();
        String depthwise = conv(b, "depthwise", y, 8, 8, 3, 8, "strides", "2,2", "auto_pad", "SAME_UPPER");
        y = batchNorm(b, "depthwise_bn", depthwise, 8);
        y = b.node("HardSwish").inputs(y).output();
        y = conv(b, "pointwise", y, 8, 16, 1, 1);
        y = b.node("Relu").inputs(y).output();
        String pooled = b.node("MaxPool").name("maxpool").inputs(y).attributes(Attributes.ofInts("kernel_shape", 2, 2),
                Attributes.ofInts("strides", 2, 2)).output();
        String averaged = b.node("AveragePool").name("avgpool").inputs(pooled).attributes(
                Attributes.ofInts("kernel_shape", 3, 3), Attributes.ofInts("pads", 0, 0, 2, 2)).output();
        y = b.node("Add").inputs(pooled, averaged).output();
        y = b.node("Mul").inputs(y, b.node("Sigmoid").inputs(y).output()).output();
        y = b.node("GlobalAveragePool").inputs(y).output();
        y = b.node("Flatten").inputs(y).output();
        y = b.node("Dropout").inputs(y).output();
        String logits = b.node("Gemm").name("logits").inputs(y,
                b.initializer("fc.weight", new long[] {10, 16}, gaussian(160, 0.5)),
                b.initializer("fc.bias", new long[] {10}, gaussian(10, 0.1)))
                .attribute(Attributes.ofInt("transB", 1)).output();
        String probabilities = b.node("Softmax").name("probabilities").inputs(logits).output();
        b.output(logits, DataType.FLOAT, Dim.named("N"), Dim.of(10));
        b.output(probabilities, DataType.FLOAT, Dim.named("N"), Dim.of(10));
        return b.build();
    }

    private static float[] images() {
        ImageDataset data = Datasets.resolveImages(Datasets.FASHION_MNIST_SAMPLE).loadAll();
        return Arrays.copyOf(data.pixels(), BATCH * 28 * 28);
    }

    @Test
    void mobileNetStyleNetMatchesOnnxRuntimeOnFashionMnist() throws Exception {
        ModelProto model = mobileNetStyle();
        float[] pixels = images();
        long[] shape = {BATCH, 1, 28, 28};
        Map<String, float[]> expected = OrtReference.runOrt(model, "image", pixels, shape);
        Map<String, float[]> actual = OrtReference.runInterpreter(model, "image", pixels, shape);
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        for (String output : expected.keySet()) {
            assertThat(OrtReference.maxAbsDifference(actual.get(output), expected.get(output))).as(output)
                    .isLessThan(1e-4);
        }
        // the images differ, so the logits must too: a constant output would hide a broken kernel
        float[] logits = expected.get("logits");
        assertThat(Arrays.copyOfRange(logits, 0, 10)).isNotEqualTo(Arrays.copyOfRange(logits, 10, 20));
    }

    /** Encoder-decoder ops: strided Conv, ConvTranspose, Resize (linear), reflect Pad, InstanceNormalization. */
    @Test
    void upsamplingDecoderMatchesOnnxRuntimeOnFashionMnist() throws Exception {
        OnnxModelBuilder b = OnnxModelBuilder.create("decoder").opset(17);
        String x = b.input("image", DataType.FLOAT, Dim.named("N"), Dim.of(1), Dim.of(28), Dim.of(28));
        String y = conv(b, "down", x, 1, 4, 3, 1, "strides", "2,2", "pads", "1,1,1,1");
        y = b.node("ConvTranspose").name("up").inputs(y,
                b.initializer("up.weight", new long[] {4, 2, 3, 3}, gaussian(72, 0.4)),
                b.initializer("up.bias", new long[] {4}, gaussian(4, 0.1))).attributes(
                Attributes.ofInts("strides", 2, 2), Attributes.ofInts("pads", 1, 1, 0, 0),
                Attributes.ofInt("group", 2)).output();
        y = b.node("Resize").name("resize").inputs(y, "", b.constant(Tensors.ofFloats("scales", new long[] {4},
                new float[] {1, 1, 1.5f, 1.5f}))).attribute(Attributes.ofString("mode", "linear")).output();
        y = b.node("Pad").name("pad").inputs(y, b.int64Constant("pads", 0, 0, 2, 1, 0, 0, 1, 2))
                .attribute(Attributes.ofString("mode", "reflect")).output();
        y = b.node("InstanceNormalization").name("norm").inputs(y,
                b.initializer("norm.scale", new long[] {4}, uniform(4, 0.5, 1.5)),
                b.initializer("norm.bias", new long[] {4}, gaussian(4, 0.1))).output();
        b.output(y, DataType.FLOAT);
        ModelProto model = b.build();
        float[] pixels = images();
        long[] shape = {BATCH, 1, 28, 28};
        float[] expected = OrtReference.runOrt(model, "image", pixels, shape).get(y);
        float[] actual = OrtReference.runInterpreter(model, "image", pixels, shape).get(y);
        assertThat(actual).hasSameSizeAs(expected);
        assertThat(OrtReference.maxAbsDifference(actual, expected)).isLessThan(1e-4);
    }

    /** A transformer block's ops: LayerNormalization, MatMul, the Erf form of GELU, Softmax over a Transpose. */
    @Test
    void layerNormalizedBlockMatchesOnnxRuntimeOnFashionMnist() throws Exception {
        OnnxModelBuilder b = OnnxModelBuilder.create("block").opset(17);
        String x = b.input("rows", DataType.FLOAT, Dim.named("N"), Dim.of(28), Dim.of(28));
        String y = b.node("LayerNormalization").name("ln").inputs(x,
                b.initializer("ln.weight", new long[] {28}, uniform(28, 0.5, 1.5)),
                b.initializer("ln.bias", new long[] {28}, gaussian(28, 0.1))).output();
        y = b.node("MatMul").inputs(y, b.initializer("w1", new long[] {28, 32}, gaussian(28 * 32, 0.3))).output();
        String scaled = b.node("Div").inputs(y, b.floatScalar("sqrt2", (float) Math.sqrt(2))).output();
        String erf = b.node("Add").inputs(b.node("Erf").inputs(scaled).output(), b.floatScalar("one", 1f)).output();
        y = b.node("Mul").inputs(b.node("Mul").inputs(y, erf).output(), b.floatScalar("half", 0.5f)).output();
        String scores = b.node("MatMul").inputs(y, b.node("Transpose").inputs(y)
                .attribute(Attributes.ofInts("perm", 0, 2, 1)).output()).output();
        y = b.node("MatMul").inputs(b.node("Softmax").inputs(scores).output(), y).output();
        b.output(y, DataType.FLOAT);
        ModelProto model = b.build();
        float[] pixels = images();
        long[] shape = {BATCH, 28, 28};
        float[] expected = OrtReference.runOrt(model, "rows", pixels, shape).get(y);
        float[] actual = OrtReference.runInterpreter(model, "rows", pixels, shape).get(y);
        assertThat(OrtReference.maxAbsDifference(actual, expected)).isLessThan(1e-4);
    }

    /** Image rows as sequences: a bidirectional LSTM with per-sequence lengths, then a GRU (linear_before_reset). */
    @Test
    void recurrentLayersMatchOnnxRuntimeOnFashionMnistRows() throws Exception {
        OnnxModelBuilder b = OnnxModelBuilder.create("recurrent").opset(14);
        String x = b.input("rows", DataType.FLOAT, Dim.of(BATCH), Dim.of(28), Dim.of(28));
        String sequence = b.node("Transpose").inputs(x).attribute(Attributes.ofInts("perm", 1, 0, 2)).output();
        int hidden = 6;
        String lengths = b.constant(Tensors.ofInts("lengths", new long[] {BATCH},
                new int[] {28, 20, 13, 28, 1, 7, 28, 25}));
        List<String> lstm = b.node("LSTM").name("lstm").inputs(sequence,
                b.initializer("lstm.W", new long[] {2, 4 * hidden, 28}, gaussian(2 * 4 * hidden * 28, 0.2)),
                b.initializer("lstm.R", new long[] {2, 4 * hidden, hidden}, gaussian(2 * 4 * hidden * hidden, 0.3)),
                b.initializer("lstm.B", new long[] {2, 8 * hidden}, gaussian(2 * 8 * hidden, 0.1)), lengths)
                .attributes(Attributes.ofString("direction", "bidirectional"), Attributes.ofInt("hidden_size", hidden))
                .outputs(3);
        String merged = b.node("Reshape").inputs(lstm.get(0), b.int64Constant("merged", 28, BATCH, 2 * hidden))
                .output();
        List<String> gru = b.node("GRU").name("gru").inputs(merged,
                b.initializer("gru.W", new long[] {1, 3 * hidden, 2 * hidden}, gaussian(3 * hidden * 2 * hidden, 0.3)),
                b.initializer("gru.R", new long[] {1, 3 * hidden, hidden}, gaussian(3 * hidden * hidden, 0.3)),
                b.initializer("gru.B", new long[] {1, 6 * hidden}, gaussian(6 * hidden, 0.1)))
                .attributes(Attributes.ofInt("hidden_size", hidden), Attributes.ofInt("linear_before_reset", 1))
                .outputs(2);
        for (String output : List.of(lstm.get(0), lstm.get(1), lstm.get(2), gru.get(1))) {
            b.output(output, DataType.FLOAT);
        }
        ModelProto model = b.build();
        float[] pixels = images();
        long[] shape = {BATCH, 28, 28};
        Map<String, float[]> expected = OrtReference.runOrt(model, "rows", pixels, shape);
        Map<String, float[]> actual = OrtReference.runInterpreter(model, "rows", pixels, shape);
        for (String output : expected.keySet()) {
            assertThat(OrtReference.maxAbsDifference(actual.get(output), expected.get(output))).as(output)
                    .isLessThan(1e-4);
        }
    }

    @Test
    void fakeQuantizedMatMulMatchesOnnxRuntime() throws Exception {
        OnnxModelBuilder b = OnnxModelBuilder.create("qdq").opset(13);
        String x = b.input("x", DataType.FLOAT, Dim.named("N"), Dim.of(784));
        String scale = b.constant(Tensors.ofFloats("scale", new long[0], new float[] {1f / 255}));
        String zeroPoint = b.constant(Tensors.ofBytes("zero_point", DataType.UINT8, new long[0], new byte[] {3}));
        String q = b.node("QuantizeLinear").inputs(x, scale, zeroPoint).output();
        String dq = b.node("DequantizeLinear").inputs(q, scale, zeroPoint).output();
        String weight = b.initializer("w", new long[] {784, 10}, gaussian(7840, 0.05));
        String wScale = b.initializer("w_scale", new long[] {10}, uniform(10, 0.001, 0.003));
        String wZero = b.constant(Tensors.ofBytes("w_zero", DataType.INT8, new long[] {10}, new byte[10]));
        String wq = b.node("QuantizeLinear").inputs(weight, wScale, wZero).attribute(Attributes.ofInt("axis", 1))
                .output();
        String wdq = b.node("DequantizeLinear").inputs(wq, wScale, wZero).attribute(Attributes.ofInt("axis", 1))
                .output();
        String y = b.node("MatMul").inputs(dq, wdq).output();
        b.output(y, DataType.FLOAT, Dim.named("N"), Dim.of(10));
        ModelProto model = b.build();
        float[] pixels = images();
        long[] shape = {BATCH, 784};
        float[] expected = OrtReference.runOrt(model, "x", pixels, shape).get(y);
        float[] actual = OrtReference.runInterpreter(model, "x", pixels, shape).get(y);
        assertThat(OrtReference.maxAbsDifference(actual, expected)).isLessThan(1e-4);
    }
}
