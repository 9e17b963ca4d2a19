package dev.verdant.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.data.Batch;
import dev.verdant.data.Datasets;
import dev.verdant.data.ImageDataset;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.build.Dim;
import dev.verdant.onnx.build.OnnxModelBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlockScorerTest {

    /** logits = x . W with W[p][c] = a fixed pattern: a real classifier of 28x28 images in ONNX Runtime. */
    private static ModelProto linear(float scale) {
        float[] w = new float[784 * 10];
        for (int i = 0; i < w.length; i++) {
            w[i] = scale * (float) Math.sin(i * 0.37);
        }
        OnnxModelBuilder b = OnnxModelBuilder.create("linear");
        String x = b.input("image", DataType.FLOAT, Dim.named("batch"), Dim.of(1), Dim.of(28), Dim.of(28));
        String flat = b.node("Flatten").inputs(x).output("flat");
        b.node("MatMul").inputs(flat, b.initializer("w", new long[] {784, 10}, w)).output("logits");
        b.output("logits", DataType.FLOAT, Dim.named("batch"), Dim.of(10));
        return b.build();
    }

    @Test
    void blocksScoredAloneAndMergedInOrderGiveTheWholeAndTheRunnersOwnAccuracy() {
        ImageDataset images = Datasets.resolveImages(Datasets.FASHION_MNIST_SAMPLE).loadAll();
        List<EvaluationBlock> blocks = EvaluationBlock.of(images, 37);
        assertThat(blocks.stream().mapToInt(EvaluationBlock::size).sum()).isEqualTo(images.size());
        assertThat(blocks.get(1).start()).isEqualTo(37);
        try (OrtRunner model = OrtRunner.open(linear(1f), SessionSpec.threads(1));
                OrtRunner baseline = OrtRunner.open(linear(1.001f), SessionSpec.threads(1));
                OrtClassifier classifier = OrtClassifier.load(linear(1f), 1)) {
            EvaluationSums all = BlockScorer.scoreAll(model, baseline, blocks, 16);
            List<EvaluationSums> each = new ArrayList<>();
            for (EvaluationBlock block : blocks) {
                each.add(BlockScorer.score(model, baseline, block, 16));
            }
            assertThat(EvaluationSums.merge(each)).isEqualTo(all);
            assertThat(all.examples()).isEqualTo(images.size());
            assertThat(all.labelled()).isEqualTo(images.size());
            // the classifier's own evaluation, batch for batch the same runs, agrees
            assertThat(all.accuracy()).isEqualTo(classifier.evaluate(images, 16).accuracy());
            // a uniformly scaled model: every cosine is 1 (to rounding), the differences are not 0
            assertThat(all.minCosine()).isGreaterThan(0.99999);
            assertThat(all.meanCosine()).isGreaterThan(0.99999);
            assertThat(all.maxAbsDiff()).isPositive();
            assertThat(all.baselineAccuracy()).isBetween(0.0, 1.0);
        }
    }

    @Test
    void sumsMergeWithNoneAsIdentityAndKeepANaN() {
        EvaluationSums a = new EvaluationSums(10, 10, 7, 6, 10, 0.9, 9.5, 0.2);
        EvaluationSums b = new EvaluationSums(5, 0, 0, 0, 5, Double.NaN, Double.NaN, 0.1);
        assertThat(EvaluationSums.NONE.plus(a)).isEqualTo(a);
        EvaluationSums ab = a.plus(b);
        assertThat(ab.examples()).isEqualTo(15);
        assertThat(ab.accuracy()).isEqualTo(0.7);
        assertThat(ab.minCosine()).isNaN();
        assertThat(ab.maxAbsDiff()).isEqualTo(0.2);
        assertThat(EvaluationSums.NONE.accuracy()).isNaN();
        assertThat(EvaluationSums.NONE.meanCosine()).isNaN();
        assertThat(EvaluationSums.cosine(new float[] {0, 0}, new float[] {0, 0})).isEqualTo(1.0);
        assertThat(EvaluationSums.cosine(new float[] {1, 0}, new float[] {0, 2})).isEqualTo(0.0);
    }

    @Test
    void anUnlabelledExampleCountsButIsNotScoredForAccuracy() {
        EvaluationBlock block = new EvaluationBlock(0, 0, new float[2 * 784], new int[] {Batch.UNLABELLED, 3},
                new long[] {1, 28, 28});
        try (OrtRunner model = OrtRunner.open(linear(1f), SessionSpec.threads(1))) {
            EvaluationSums sums = BlockScorer.score(model, null, block, 8);
            assertThat(sums.examples()).isEqualTo(2);
            assertThat(sums.labelled()).isEqualTo(1);
            assertThat(sums.compared()).isZero();
            assertThat(sums.baselineAccuracy()).isNaN();
        }
    }
}
