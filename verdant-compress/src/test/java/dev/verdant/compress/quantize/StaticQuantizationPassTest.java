package dev.verdant.compress.quantize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.verdant.compress.MiniLmFixture;
import dev.verdant.compress.PassContext;
import dev.verdant.compress.PassContext.CalibrationSample;
import dev.verdant.compress.PassOutput;
import dev.verdant.data.Batch;
import dev.verdant.data.Datasets;
import dev.verdant.data.ImageDataset;
import dev.verdant.data.Part;
import dev.verdant.data.SystemData;
import dev.verdant.data.SystemDataAssumptions;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.onnx.Tensors;
import dev.verdant.onnx.build.Dim;
import dev.verdant.onnx.build.OnnxModelBuilder;
import dev.verdant.runtime.InputTensor;
import dev.verdant.runtime.OrtRunner;
import dev.verdant.runtime.SessionSpec;
import dev.verdant.train.zoo.Zoo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Static QDQ quantization of a real classifier: a 784-256-10 MLP on Fashion-MNIST whose hidden layer is a seeded
 * random projection and whose output layer is fitted to 6,000 real training images by least squares, so its
 * accuracy (about 80%) comes from the data, checked before and after on 2,000 real test images.
 */
class StaticQuantizationPassTest {

    private static final int HIDDEN = 256;
    private static ModelProto model;
    private static List<CalibrationSample> calibration;
    private static List<CalibrationSample> test;
    private static int[] testLabels;

    @BeforeAll
    static void fitClassifier() {
        SystemDataAssumptions.assumeInstalled(SystemData.FASHION_MNIST);
        var source = Datasets.resolveImages(Datasets.FASHION_MNIST);
        ImageDataset train = source.load(Part.TRAIN).select(range(6000));
        ImageDataset held = source.load(Part.TEST).select(range(2000));
        Random random = new Random(7);
        float[] w1 = new float[784 * HIDDEN];
        for (int i = 0; i < w1.length; i++) {
            w1[i] = (float) (random.nextGaussian() / Math.sqrt(784));
        }
        float[] b1 = new float[HIDDEN];
        double[][] h = hidden(train.features(), train.size(), w1, b1);
        float[] w2 = leastSquares(h, train.labels(), 10);
        OnnxModelBuilder b = OnnxModelBuilder.create("mlp");
        String x = b.input("image", DataType.FLOAT, Dim.named("N"), Dim.of(1), Dim.of(28), Dim.of(28));
        String flat = b.node("Flatten").inputs(x).attribute(Attributes.ofInt("axis", 1)).output();
        String fc1 = b.node("Gemm").name("fc1").inputs(flat, b.initializer("fc1.weight", new long[] {784, HIDDEN}, w1),
                b.initializer("fc1.bias", new long[] {HIDDEN}, b1)).output();
        String relu = b.node("Relu").inputs(fc1).output();
        String fc2 = b.node("MatMul").name("fc2").inputs(relu,
                b.initializer("fc2.weight", new long[] {HIDDEN, 10}, w2)).output("logits");
        b.output(fc2, DataType.FLOAT, Dim.named("N"), Dim.of(10));
        model = b.build();
        calibration = batches(train.select(range(512)));
        test = batches(held);
        testLabels = held.labels();
    }

    @Test
    void quantizesToQdqAndKeepsAccuracyWithinHalfAPoint() {
        for (CalibrationMethod method : CalibrationMethod.values()) {
            QuantizationOptions options = new QuantizationOptions(true, false, method, NodeSelector.none());
            PassOutput out = new StaticQuantizationPass(options).apply(model, new PassContext(calibration, 0));
            ModelProto quantized = out.model();

            List<String> ops = quantized.getGraph().getNodeList().stream().map(NodeProto::getOpType).toList();
            assertThat(ops).contains("QuantizeLinear", "DequantizeLinear");
            assertThat(quantized.getGraph().getInitializerList()).filteredOn(t -> t.getName().startsWith("fc1.weight"))
                    .extracting(DataType::of).containsExactlyInAnyOrder(DataType.INT8, DataType.FLOAT, DataType.INT8);
            assertThat((double) model.getSerializedSize() / quantized.getSerializedSize()).as(method.toString())
                    .isGreaterThan(3.5);
            double before = accuracy(model);
            double after = accuracy(quantized);
            assertThat(before).isGreaterThan(0.7);
            assertThat((before - after) * 100).as(method + " accuracy drop in points").isLessThan(0.5);
            assertThat(out.facts()).containsEntry("quantizedNodes", 2);
        }
    }

    /**
     * An opset-11 graph keeps its opset (raising it would change how its own Unsqueeze, Split or ReduceSum read):
     * its weights get one scale per tensor, since DequantizeLinear has no axis before opset 13, and ONNX Runtime
     * still scores it within half a point. Below opset 10 there is no QuantizeLinear, and the step says so.
     */
    @Test
    void keepsAnOpset11GraphAtOpset11WithPerTensorWeights() {
        ModelProto opset11 = withOpset(model, 11);
        QuantizationOptions options = new QuantizationOptions(true, false, CalibrationMethod.MIN_MAX,
                NodeSelector.none());
        PassOutput out = new StaticQuantizationPass(options).apply(opset11, new PassContext(calibration, 0));
        ModelProto quantized = out.model();
        assertThat(OnnxGraph.of(quantized).opset()).isEqualTo(11);
        assertThat(quantized.getGraph().getInitializerList()).filteredOn(t -> t.getName().endsWith("_scale")
                && t.getName().startsWith("fc")).isNotEmpty().allMatch(t -> t.getDimsCount() == 0);
        assertThat((String) out.facts().get("weights")).startsWith("int8 symmetric per-tensor");
        assertThat((accuracy(opset11) - accuracy(quantized)) * 100).isLessThan(0.5);

        ModelProto opset9 = withOpset(model, 9);
        assertThatThrownBy(() -> new StaticQuantizationPass(options).validate(OnnxGraph.of(opset9)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("int8-static writes QuantizeLinear and DequantizeLinear (opset 10 and later), but the "
                        + "model imports opset 9; convert it to a newer opset");
    }

    private static ModelProto withOpset(ModelProto model, long version) {
        return model.toBuilder().clearOpsetImport().addOpsetImport(ai.onnx.proto.OnnxMl.OperatorSetIdProto
                .newBuilder().setDomain("").setVersion(version)).build();
    }

    @Test
    void keepsSelectedLayersInFloatAndNeedsCalibrationData() {
        QuantizationOptions options = new QuantizationOptions(true, false, CalibrationMethod.MIN_MAX,
                NodeSelector.parse("fc2"));
        PassOutput out = new StaticQuantizationPass(options).apply(model, new PassContext(calibration, 0));
        assertThat(out.facts()).containsEntry("quantizedNodes", 1).containsEntry("keptFloat", List.of("fc2"));
        assertThatThrownBy(() -> new StaticQuantizationPass(options).apply(model, PassContext.withoutData(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs calibration data");
    }

    /**
     * Issue 5 regression: the untrained zoo LeNet-5's first Conv reads the graph input itself, which ONNX Runtime
     * never returns as an output; its range must come from the calibration batches, whole (min-max) whatever the
     * method, and the QDQ pair must sit on the input with nothing in between.
     */
    @Test
    void calibratesAFirstConvThatReadsTheGraphInputDirectly() {
        ModelProto lenet = Zoo.imageClassifier("lenet5", 10, 1.0, 3).build();
        String input = lenet.getGraph().getInput(0).getName();
        List<CalibrationSample> batches = calibration.stream().map(b -> new CalibrationSample(
                Map.of(input, b.inputs().get("image")))).toList();
        float low = 0;
        float high = 0;
        for (CalibrationSample batch : batches) {
            for (float pixel : batch.inputs().get(input).floats()) {
                low = Math.min(low, pixel);
                high = Math.max(high, pixel);
            }
        }
        for (CalibrationMethod method : List.of(CalibrationMethod.MIN_MAX, CalibrationMethod.ENTROPY)) {
            QuantizationOptions options = new QuantizationOptions(true, false, method, NodeSelector.none());
            ModelProto quantized = new StaticQuantizationPass(options).apply(lenet, new PassContext(batches, 0))
                    .model();
            OnnxGraph graph = OnnxGraph.of(quantized);
            List<NodeProto> inputReaders = graph.nodes().stream().filter(n -> n.getInputList().contains(input))
                    .toList();
            assertThat(inputReaders).extracting(NodeProto::getOpType).as(method.toString())
                    .containsExactly("QuantizeLinear");
            NodeProto quantize = inputReaders.get(0);
            float scale = Tensors.toFloats(graph.initializer(quantize.getInput(1)).orElseThrow())[0];
            long zeroPoint = Tensors.toLongs(graph.initializer(quantize.getInput(2)).orElseThrow())[0];
            assertThat(scale).as(method + " input scale").isEqualTo((high - low) / 255f);
            assertThat(zeroPoint).isEqualTo(Math.round(-low / scale));
            NodeProto firstConv = graph.nodes().stream().filter(n -> n.getOpType().equals("Conv")).findFirst()
                    .orElseThrow();
            assertThat(graph.nodes()).filteredOn(n -> n.getOutputList().contains(firstConv.getInput(0)))
                    .singleElement().satisfies(dq -> assertThat(dq.getInput(0)).isEqualTo(quantize.getOutput(0)));
            assertThat(MiniLmFixture.compare(lenet, quantized, batches.subList(0, 2)).minCosine()).as(method.toString())
                    .isGreaterThan(0.95);
        }
    }

    /**
     * Issue 5's LeNet-5 size target: int32 biases read through a DequantizeLinear without a stated zero point (0 by
     * default), which ONNX Runtime still fuses with every Conv and Gemm into integer kernels.
     */
    @Test
    void leNet5IsAtLeast3Point5TimesSmallerAndOnnxRuntimeFusesEveryLayer(@TempDir Path dir) throws Exception {
        ModelProto lenet = Zoo.imageClassifier("lenet5", 10, 1.0, 3).build();
        List<CalibrationSample> batches = calibration.stream().map(b -> new CalibrationSample(
                Map.of("input", b.inputs().get("image")))).toList();
        ModelProto quantized = new StaticQuantizationPass(QuantizationOptions.defaults())
                .apply(lenet, new PassContext(batches, 0)).model();
        assertThat((double) lenet.getSerializedSize() / quantized.getSerializedSize()).isGreaterThan(3.5);
        OnnxGraph graph = OnnxGraph.of(quantized);
        List<NodeProto> biasDequantizers = graph.nodes().stream().filter(n -> n.getOpType().equals("DequantizeLinear"))
                .filter(n -> graph.initializer(n.getInput(0)).map(t -> DataType.of(t) == DataType.INT32).orElse(false))
                .toList();
        assertThat(biasDequantizers).hasSize(5).allSatisfy(dq -> assertThat(dq.getInputCount()).isEqualTo(2));
        Path optimized = dir.resolve("optimized.onnx");
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.EXTENDED_OPT);
            options.setOptimizedModelFilePath(optimized.toString());
            environment.createSession(quantized.toByteArray(), options).close();
        }
        List<String> ops = OnnxModels.read(optimized).getGraph().getNodeList().stream().map(NodeProto::getOpType)
                .toList();
        assertThat(ops).doesNotContain("Conv", "Gemm", "MatMul");
        assertThat(ops.stream().filter(op -> op.equals("QLinearConv"))).hasSize(2);
        assertThat(ops.stream().filter(op -> op.equals("QGemm"))).hasSize(3);
    }

    /**
     * PP-OCR's exports hold their weights and biases in {@code Constant} nodes, not initializers. The int8 codes that
     * take such a weight's name replace its Constant node; before, the node stayed and still wrote a float tensor under
     * that name, and ONNX Runtime refused the model ("initializer 'conv2d_96.w_0' has element type float but usage
     * expects int8"). The quantized model loads and its logits stay close to the float model's.
     */
    @Test
    void quantizesWeightsAndBiasesHeldInConstantNodes() {
        ModelProto lenet = withConstantNodes(Zoo.imageClassifier("lenet5", 10, 1.0, 3).build());
        assertThat(lenet.getGraph().getInitializerCount()).isZero();
        List<CalibrationSample> batches = calibration.stream().map(b -> new CalibrationSample(
                Map.of("input", b.inputs().get("image")))).toList();
        PassOutput out = new StaticQuantizationPass(QuantizationOptions.defaults())
                .apply(lenet, new PassContext(batches, 0));
        ModelProto quantized = out.model();
        assertThat(out.facts()).containsEntry("quantizedNodes", 5);
        // no tensor is both an initializer and a node's output
        List<String> nodeOutputs = quantized.getGraph().getNodeList().stream()
                .flatMap(n -> n.getOutputList().stream()).toList();
        assertThat(quantized.getGraph().getInitializerList()).extracting(t -> t.getName())
                .isNotEmpty().doesNotContainAnyElementsOf(nodeOutputs);
        Map<String, InputTensor> feed = batches.get(0).inputs();
        try (OrtRunner original = OrtRunner.open(lenet, SessionSpec.threads(1));
                OrtRunner candidate = OrtRunner.open(quantized, SessionSpec.threads(1))) {
            float[] expected = original.run(feed).values().iterator().next().values();
            float[] actual = candidate.run(feed).values().iterator().next().values();
            assertThat(cosine(expected, actual)).isGreaterThan(0.99);
        }
    }

    /** The model with every initializer made by a Constant node instead, as paddle2onnx writes them. */
    private static ModelProto withConstantNodes(ModelProto model) {
        var graph = model.getGraph().toBuilder().clearInitializer();
        for (int i = 0; i < model.getGraph().getInitializerCount(); i++) {
            var tensor = model.getGraph().getInitializer(i);
            graph.addNode(i, NodeProto.newBuilder().setOpType("Constant").setName("const_" + i)
                    .addOutput(tensor.getName()).addAttribute(ai.onnx.proto.OnnxMl.AttributeProto.newBuilder()
                            .setName("value").setType(ai.onnx.proto.OnnxMl.AttributeProto.AttributeType.TENSOR)
                            .setT(tensor)));
        }
        return model.toBuilder().setGraph(graph).build();
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return dot / Math.sqrt(aa * bb);
    }

    @Test
    void calibrationBatchesWithoutTheGraphInputFailWithOneLine() {
        ModelProto lenet = Zoo.imageClassifier("lenet5", 10, 1.0, 3).build();
        QuantizationOptions options = QuantizationOptions.defaults();
        assertThatThrownBy(() -> new StaticQuantizationPass(options).apply(lenet, new PassContext(calibration, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("graph input 'input'").hasMessageContaining("[image]")
                .hasMessageNotContaining("\n");
    }

    private static double accuracy(ModelProto candidate) {
        int correct = 0;
        int seen = 0;
        try (OrtRunner session = OrtRunner.open(candidate, SessionSpec.threads(2))) {
            for (CalibrationSample batch : test) {
                float[] logits = session.run(batch.inputs()).get("logits").values();
                for (int r = 0; r < logits.length / 10; r++) {
                    int best = 0;
                    for (int c = 1; c < 10; c++) {
                        best = logits[r * 10 + c] > logits[r * 10 + best] ? c : best;
                    }
                    correct += best == testLabels[seen++] ? 1 : 0;
                }
            }
        }
        return (double) correct / seen;
    }

    private static List<CalibrationSample> batches(ImageDataset data) {
        List<CalibrationSample> batches = new ArrayList<>();
        for (Batch batch : data.batches(100)) {
            long[] shape = {batch.labels().length, 1, 28, 28};
            batches.add(new CalibrationSample(Map.of("image", new InputTensor(shape, batch.features(), null))));
        }
        return batches;
    }

    private static double[][] hidden(float[] pixels, int n, float[] w1, float[] b1) {
        double[][] h = new double[n][HIDDEN + 1];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 784; k++) {
                float p = pixels[i * 784 + k];
                if (p != 0) {
                    for (int j = 0; j < HIDDEN; j++) {
                        h[i][j] += p * w1[k * HIDDEN + j];
                    }
                }
            }
            for (int j = 0; j < HIDDEN; j++) {
                h[i][j] = Math.max(0, h[i][j] + b1[j]);
            }
        }
        return h;
    }

    /** Ridge regression onto one-hot labels: (HᵀH + λI)⁻¹ Hᵀ Y by Gauss-Jordan elimination. */
    private static float[] leastSquares(double[][] h, int[] labels, int classes) {
        int d = HIDDEN;
        double[][] a = new double[d][d + classes];
        for (int i = 0; i < h.length; i++) {
            for (int p = 0; p < d; p++) {
                if (h[i][p] == 0) {
                    continue;
                }
                for (int q = 0; q < d; q++) {
                    a[p][q] += h[i][p] * h[i][q];
                }
                a[p][d + labels[i]] += h[i][p];
            }
        }
        for (int p = 0; p < d; p++) {
            a[p][p] += 1e-2 * h.length;
        }
        for (int col = 0; col < d; col++) {
            double pivot = a[col][col];
            for (int c = col; c < d + classes; c++) {
                a[col][c] /= pivot;
            }
            for (int row = 0; row < d; row++) {
                if (row != col && a[row][col] != 0) {
                    double factor = a[row][col];
                    for (int c = col; c < d + classes; c++) {
                        a[row][c] -= factor * a[col][c];
                    }
                }
            }
        }
        float[] w = new float[d * classes];
        for (int p = 0; p < d; p++) {
            for (int c = 0; c < classes; c++) {
                w[p * classes + c] = (float) a[p][d + c];
            }
        }
        return w;
    }

    private static int[] range(int n) {
        int[] indices = new int[n];
        for (int i = 0; i < n; i++) {
            indices[i] = i;
        }
        return indices;
    }
}
