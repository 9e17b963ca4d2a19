package dev.verdant.examples.compress;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.build.Dim;
import dev.verdant.onnx.build.OnnxModelBuilder;
import java.util.Random;

/**
 * Builds a small classifier as an ONNX model with Verdant's {@link OnnxModelBuilder}, no training framework needed:
 * a layer of random ReLU features ({@code x W1 + b1}), then a nearest-centroid read-out over those features, whose
 * weights are the class means of the training rows ({@code logit_c = h . m_c - |m_c|^2 / 2}).
 *
 * @param inputWidth  features per example
 * @param hiddenWidth random features
 * @param classes     classes predicted
 */
public record CentroidClassifier(int inputWidth, int hiddenWidth, int classes) {

    /**
     * Fits the read-out on {@code training} and returns the model.
     *
     * @param training labelled rows of {@code inputWidth} features
     * @param seed     seeds the random features
     * @return an ONNX model with input {@code x [N, inputWidth]} and output {@code logits [N, classes]}
     */
    public ModelProto fit(BlobData training, long seed) {
        Random random = new Random(seed);
        float[] w1 = new float[inputWidth * hiddenWidth];
        double scale = 1 / Math.sqrt(inputWidth);
        for (int i = 0; i < w1.length; i++) {
            w1[i] = (float) (scale * random.nextGaussian());
        }
        float[] b1 = new float[hiddenWidth];
        for (int h = 0; h < hiddenWidth; h++) {
            b1[h] = (float) (0.1 * random.nextGaussian());
        }

        double[][] means = new double[classes][hiddenWidth];
        int[] counts = new int[classes];
        for (int r = 0; r < training.labels().length; r++) {
            float[] hidden = hidden(training.features()[r], w1, b1);
            int label = training.labels()[r];
            counts[label]++;
            for (int h = 0; h < hiddenWidth; h++) {
                means[label][h] += hidden[h];
            }
        }
        float[] w2 = new float[hiddenWidth * classes];
        float[] b2 = new float[classes];
        for (int c = 0; c < classes; c++) {
            double squaredNorm = 0;
            for (int h = 0; h < hiddenWidth; h++) {
                double mean = means[c][h] / Math.max(1, counts[c]);
                w2[h * classes + c] = (float) mean;
                squaredNorm += mean * mean;
            }
            b2[c] = (float) (-squaredNorm / 2);
        }

        OnnxModelBuilder b = OnnxModelBuilder.create("centroid-classifier")
                .metadata("description", "random ReLU features, nearest-centroid read-out");
        String x = b.input("x", DataType.FLOAT, Dim.named("N"), Dim.of(inputWidth));
        String hidden = b.node("MatMul").name("features").inputs(x,
                b.initializer("features.weight", new long[] {inputWidth, hiddenWidth}, w1)).output();
        hidden = b.node("Add").inputs(hidden, b.initializer("features.bias", new long[] {hiddenWidth}, b1)).output();
        hidden = b.node("Relu").inputs(hidden).output();
        String logits = b.node("MatMul").name("readout").inputs(hidden,
                b.initializer("readout.weight", new long[] {hiddenWidth, classes}, w2)).output();
        logits = b.node("Add").inputs(logits, b.initializer("readout.bias", new long[] {classes}, b2))
                .output("logits");
        b.output(logits, DataType.FLOAT, Dim.named("N"), Dim.of(classes));
        return b.build();
    }

    private float[] hidden(float[] row, float[] w1, float[] b1) {
        float[] hidden = new float[hiddenWidth];
        for (int h = 0; h < hiddenWidth; h++) {
            double sum = b1[h];
            for (int i = 0; i < inputWidth; i++) {
                sum += row[i] * w1[i * hiddenWidth + h];
            }
            hidden[h] = (float) Math.max(0, sum);
        }
        return hidden;
    }
}
