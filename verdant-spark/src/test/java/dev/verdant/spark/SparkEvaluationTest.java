package dev.verdant.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.data.Datasets;
import dev.verdant.data.ImageDataset;
import dev.verdant.data.Part;
import dev.verdant.data.SystemData;
import dev.verdant.data.SystemDataAssumptions;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.build.Dim;
import dev.verdant.onnx.build.OnnxModelBuilder;
import dev.verdant.runtime.BlockScorer;
import dev.verdant.runtime.EvaluationBlock;
import dev.verdant.runtime.EvaluationSums;
import dev.verdant.runtime.OrtRunner;
import dev.verdant.runtime.SessionSpec;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Distributed evaluation on local[2] against the single-machine path, on the 10,000 Fashion-MNIST test images. */
class SparkEvaluationTest {

    @TempDir
    Path dir;

    /**
     * A template classifier: logits = x . W + b with W's column c the mean image of class c (from the first 2,000
     * training images), centred. A real classifier (about 70% on Fashion-MNIST) made in a second, not trained.
     */
    static ModelProto templateClassifier(ImageDataset train, boolean halfPrecision) {
        int pixels = 28 * 28;
        float[] weights = new float[pixels * 10];
        int[] counts = new int[10];
        for (int i = 0; i < 2_000; i++) {
            int label = train.labels()[i];
            counts[label]++;
            float[] image = train.image(i);
            for (int p = 0; p < pixels; p++) {
                weights[p * 10 + label] += image[p];
            }
        }
        float[] bias = new float[10];
        for (int c = 0; c < 10; c++) {
            double norm = 0;
            for (int p = 0; p < pixels; p++) {
                weights[p * 10 + c] /= counts[c];
                norm += weights[p * 10 + c] * weights[p * 10 + c];
            }
            bias[c] = (float) (-norm / 2);   // nearest class mean: x.m - |m|^2 / 2
        }
        if (halfPrecision) {
            for (int i = 0; i < weights.length; i++) {
                weights[i] = Float.float16ToFloat(Float.floatToFloat16(weights[i]));
            }
        }
        OnnxModelBuilder b = OnnxModelBuilder.create("templates");
        String x = b.input("image", DataType.FLOAT, Dim.named("batch"), Dim.of(1), Dim.of(28), Dim.of(28));
        String flat = b.node("Flatten").inputs(x).output("flat");
        String scores = b.node("MatMul").inputs(flat, b.initializer("w", new long[] {pixels, 10}, weights))
                .output("scores");
        b.node("Add").inputs(scores, b.initializer("b", new long[] {10}, bias)).output("logits");
        b.output("logits", DataType.FLOAT, Dim.named("batch"), Dim.of(10));
        return b.build();
    }

    @Test
    void onLocal2TheTenThousandTestImagesScoreExactlyAsOnOneMachine() {
        SystemDataAssumptions.assumeInstalled(SystemData.FASHION_MNIST);
        var source = Datasets.resolveImages(Datasets.FASHION_MNIST);
        ImageDataset test = source.load(Part.TEST);
        assertThat(test.size()).isEqualTo(10_000);
        ModelProto model = templateClassifier(source.load(Part.TRAIN), false);
        ModelProto baseline = templateClassifier(source.load(Part.TRAIN), true);
        List<EvaluationBlock> blocks = EvaluationBlock.of(test, 1_000);

        EvaluationSums single;
        try (OrtRunner m = OrtRunner.open(model, SessionSpec.threads(1));
                OrtRunner base = OrtRunner.open(baseline, SessionSpec.threads(1))) {
            single = BlockScorer.scoreAll(m, base, blocks, 64);
        }
        DistributedEvaluation.Run run = DistributedEvaluation.run("local[2]", blocks, model.toByteArray(),
                baseline.toByteArray(), 64, 1, dir);

        assertThat(run.sums()).isEqualTo(single);   // every count, the min, the max and the cosine sum, to the bit
        assertThat(single.examples()).isEqualTo(10_000);
        assertThat(single.labelled()).isEqualTo(10_000);
        assertThat(single.accuracy()).isBetween(0.5, 0.9);
        assertThat(single.minCosine()).isLessThan(1.0).isGreaterThan(0.99);
        assertThat(single.maxAbsDiff()).isPositive();
        assertThat(run.blocks()).isEqualTo(10);
        assertThat(run.rowsPerSecond()).isPositive();
        assertThat(run.energyJoules()).isPositive();
        assertThat(run.applicationJoules()).isGreaterThanOrEqualTo(run.energyJoules() * 0.5);
        assertThat(run.energyFile()).exists();
    }

    @Test
    void anUnreachableMasterIsOneLineWithItsAddress() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String master = "spark://127.0.0.1:" + port;
        assertThatThrownBy(() -> DistributedEvaluation.checkReachable(master))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot reach the Spark master " + master + ": ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        DistributedEvaluation.checkReachable("local[2]");   // left to Spark
    }
}
