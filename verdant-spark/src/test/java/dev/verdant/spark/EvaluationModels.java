package dev.verdant.spark;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.data.ImageDataset;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.build.Dim;
import dev.verdant.onnx.build.OnnxModelBuilder;
import java.util.Random;

/** Small real image classifiers for 28x28 Fashion-MNIST, made in a second for tests and benchmarks. */
public final class EvaluationModels {

    private static final int PIXELS = 28 * 28;

    private EvaluationModels() {
    }

    /**
     * A nearest-class-mean classifier: logits = x . m_c - |m_c|^2 / 2 with m_c the mean image of class c over the first
     * 2,000 training images (about 70% on Fashion-MNIST, not trained); {@code halfPrecision} rounds its weights to
     * fp16, a compressed variant to compare with.
     */
    public static ModelProto templateClassifier(ImageDataset train, boolean halfPrecision) {
        float[] weights = new float[PIXELS * 10];
        int[] counts = new int[10];
        for (int i = 0; i < 2_000; i++) {
            int label = train.labels()[i];
            counts[label]++;
            float[] image = train.image(i);
            for (int p = 0; p < PIXELS; p++) {
                weights[p * 10 + label] += image[p];
            }
        }
        float[] bias = new float[10];
        for (int c = 0; c < 10; c++) {
            double norm = 0;
            for (int p = 0; p < PIXELS; p++) {
                weights[p * 10 + c] /= counts[c];
                norm += weights[p * 10 + c] * weights[p * 10 + c];
            }
            bias[c] = (float) (-norm / 2);
        }
        if (halfPrecision) {
            for (int i = 0; i < weights.length; i++) {
                weights[i] = Float.float16ToFloat(Float.floatToFloat16(weights[i]));
            }
        }
        OnnxModelBuilder b = OnnxModelBuilder.create("templates");
        String x = b.input("image", DataType.FLOAT, Dim.named("batch"), Dim.of(1), Dim.of(28), Dim.of(28));
        String flat = b.node("Flatten").inputs(x).output("flat");
        String scores = b.node("MatMul").inputs(flat, b.initializer("w", new long[] {PIXELS, 10}, weights))
                .output("scores");
        b.node("Add").inputs(scores, b.initializer("b", new long[] {10}, bias)).output("logits");
        b.output("logits", DataType.FLOAT, Dim.named("batch"), Dim.of(10));
        return b.build();
    }

    /** An untrained 784-{@code hidden}-{@code hidden}-10 ReLU network: compute enough to time, seeded weights. */
    public static ModelProto mlp(int hidden, long seed) {
        Random random = new Random(seed);
        OnnxModelBuilder b = OnnxModelBuilder.create("mlp");
        String x = b.input("image", DataType.FLOAT, Dim.named("batch"), Dim.of(1), Dim.of(28), Dim.of(28));
        String h = b.node("Flatten").inputs(x).output("flat");
        int in = PIXELS;
        int[] widths = {hidden, hidden, 10};
        for (int layer = 0; layer < widths.length; layer++) {
            float[] w = new float[in * widths[layer]];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (random.nextGaussian() / Math.sqrt(in));
            }
            String product = b.node("MatMul").inputs(h, b.initializer("w" + layer, new long[] {in, widths[layer]}, w))
                    .output("mm" + layer);
            h = layer == widths.length - 1 ? b.node("Identity").inputs(product).output("logits")
                    : b.node("Relu").inputs(product).output("relu" + layer);
            in = widths[layer];
        }
        b.output("logits", DataType.FLOAT, Dim.named("batch"), Dim.of(10));
        return b.build();
    }
}
