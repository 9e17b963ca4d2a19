package dev.verdant.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import dev.verdant.data.Batch;
import dev.verdant.runtime.OrtClassifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The optimizers' and losses' arithmetic on the PyTorch engine, checked against the formulas done by hand. */
class OptimizerAndLossTest {

    private static NDManager manager;

    @BeforeAll
    static void engine() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** Adam's first step moves each weight by lr·sign(g); the decoupled decay adds lr·wd·w, independent of g. */
    @Test
    void adamWFirstStepIsSignOfGradientPlusDecoupledDecay() {
        float lr = 0.1f;
        float wd = 0.5f;
        Optimizer adamW = new OptimizerConfig.AdamW(0.9f, 0.999f, 1e-8f, wd).create(new LearningRateSchedule.Constant(lr));
        NDArray weight = manager.create(new float[] {1f, -2f, 3f});
        NDArray grad = manager.create(new float[] {0.001f, 5f, -40f});
        adamW.update("w", weight, grad);
        float[] w = weight.toFloatArray();
        assertThat(w[0]).isCloseTo(1f - lr * (1 + wd * 1f), offset(1e-4f));
        assertThat(w[1]).isCloseTo(-2f - lr * (1 + wd * -2f), offset(1e-4f));
        assertThat(w[2]).isCloseTo(3f - lr * (-1 + wd * 3f), offset(1e-4f));
    }

    /** Heavy-ball momentum: v1 = g1, v2 = m·v1 + g2; w moves by lr·v each step. */
    @Test
    void sgdMomentumAccumulatesVelocity() {
        float lr = 0.1f;
        Optimizer sgd = new OptimizerConfig.Sgd(0.9f, 0f).create(new LearningRateSchedule.Constant(lr));
        NDArray weight = manager.create(new float[] {1f});
        sgd.update("w", weight, manager.create(new float[] {2f}));
        assertThat(weight.getFloat(0)).isCloseTo(1f - lr * 2f, offset(1e-6f));
        sgd.update("w", weight, manager.create(new float[] {1f}));
        assertThat(weight.getFloat(0)).isCloseTo(0.8f - lr * (0.9f * 2f + 1f), offset(1e-6f));
    }

    @Test
    void crossEntropyMatchesTheFormulaAndItsGradientIsSoftmaxMinusOneHot() {
        float[] scores = {2f, -1f, 0.5f, 0f, 0f, 3f};
        NDArray logits = manager.create(scores, new ai.djl.ndarray.types.Shape(2, 3));
        NDArray labels = manager.create(new long[] {0, 2});
        logits.setRequiresGradient(true);
        NDArray loss;
        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            loss = new TrainingLoss.CrossEntropy().compute(logits, labels, null);
            collector.backward(loss);
        }
        double expected = (OrtClassifier.crossEntropy(new float[] {2f, -1f, 0.5f}, 0)
                + OrtClassifier.crossEntropy(new float[] {0f, 0f, 3f}, 2)) / 2;
        assertThat(loss.getFloat()).isCloseTo((float) expected, offset(1e-5f));
        float[] gradient = logits.getGradient().toFloatArray();
        double[] softmax = softmax(2f, -1f, 0.5f);
        assertThat(gradient[0]).isCloseTo((float) ((softmax[0] - 1) / 2), offset(1e-5f));
        assertThat(gradient[1]).isCloseTo((float) (softmax[1] / 2), offset(1e-5f));
    }

    @Test
    void distillationIsTemperatureSquaredKlPlusHardCrossEntropy() {
        float t = 2f;
        float alpha = 0.7f;
        float[] student = {1f, 0f, -1f};
        float[] teacher = {3f, 1f, 0f};
        NDArray loss = new TrainingLoss.Distillation(t, alpha).compute(
                manager.create(student, new ai.djl.ndarray.types.Shape(1, 3)), manager.create(new long[] {1}),
                manager.create(teacher, new ai.djl.ndarray.types.Shape(1, 3)));
        double[] p = softmax(teacher[0] / t, teacher[1] / t, teacher[2] / t);
        double[] q = softmax(student[0] / t, student[1] / t, student[2] / t);
        double kl = 0;
        for (int i = 0; i < 3; i++) {
            kl += p[i] * Math.log(p[i] / q[i]);
        }
        double expected = alpha * t * t * kl + (1 - alpha) * OrtClassifier.crossEntropy(student, 1);
        assertThat(loss.getFloat()).isCloseTo((float) expected, offset(1e-5f));
        // a student that copies the teacher pays only the hard term
        NDArray copy = new TrainingLoss.Distillation(t, 1f).compute(
                manager.create(teacher, new ai.djl.ndarray.types.Shape(1, 3)), manager.create(new long[] {1}),
                manager.create(teacher, new ai.djl.ndarray.types.Shape(1, 3)));
        assertThat(copy.getFloat()).isCloseTo(0f, offset(1e-6f));
    }

    /**
     * Unlabelled samples (a transfer set) take the soft term only: KL averaged over all samples, cross-entropy over
     * the labelled ones; the gradient on an unlabelled sample's logits is the soft term's alone.
     */
    @Test
    void distillationSkipsTheHardTermForUnlabelledSamples() {
        float t = 2f;
        float alpha = 0.6f;
        float[][] students = {{1f, 0f, -1f}, {0.5f, 2f, 0f}, {-1f, 0f, 1f}};
        float[][] teachers = {{3f, 1f, 0f}, {0f, 1f, 2f}, {1f, 1f, 0f}};
        long[] labels = {1, Batch.UNLABELLED, 2};
        NDArray logits = manager.create(flat(students), new ai.djl.ndarray.types.Shape(3, 3));
        logits.setRequiresGradient(true);
        NDArray loss;
        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            loss = new TrainingLoss.Distillation(t, alpha).compute(logits, manager.create(labels),
                    manager.create(flat(teachers), new ai.djl.ndarray.types.Shape(3, 3)));
            collector.backward(loss);
        }
        double kl = 0;
        for (int n = 0; n < 3; n++) {
            kl += kl(teachers[n], students[n], t) / 3;
        }
        double hard = (OrtClassifier.crossEntropy(students[0], 1) + OrtClassifier.crossEntropy(students[2], 2)) / 2;
        assertThat(loss.getFloat()).isCloseTo((float) (alpha * t * t * kl + (1 - alpha) * hard), offset(1e-5f));
        // d/ds of alpha T^2 KL / 3 at T: alpha T (q - p) / 3, nothing from a label for the unlabelled row
        float[] gradient = logits.getGradient().toFloatArray();
        double[] p = softmax(teachers[1][0] / t, teachers[1][1] / t, teachers[1][2] / t);
        double[] q = softmax(students[1][0] / t, students[1][1] / t, students[1][2] / t);
        for (int c = 0; c < 3; c++) {
            assertThat(gradient[3 + c]).isCloseTo((float) (alpha * t * (q[c] - p[c]) / 3), offset(1e-5f));
        }
    }

    @Test
    void distillationOfABatchWithoutLabelsIsTheSoftTermAlone() {
        float[] student = {1f, 0f, -1f};
        float[] teacher = {3f, 1f, 0f};
        NDArray loss = new TrainingLoss.Distillation(1f, 0.5f).compute(
                manager.create(student, new ai.djl.ndarray.types.Shape(1, 3)),
                manager.create(new long[] {Batch.UNLABELLED}),
                manager.create(teacher, new ai.djl.ndarray.types.Shape(1, 3)));
        assertThat(loss.getFloat()).isCloseTo((float) (0.5 * kl(teacher, student, 1f)), offset(1e-6f));
    }

    @Test
    void meanSquaredErrorAgainstOneHot() {
        NDArray loss = new TrainingLoss.MeanSquaredError().compute(
                manager.create(new float[] {1f, 0.5f}, new ai.djl.ndarray.types.Shape(1, 2)),
                manager.create(new long[] {1}), null);
        assertThat(loss.getFloat()).isCloseTo((1f + 0.25f) / 2, offset(1e-6f));
    }

    /** KL(softmax(teacher/T) || softmax(student/T)). */
    private static double kl(float[] teacher, float[] student, float t) {
        double[] p = softmax(teacher[0] / t, teacher[1] / t, teacher[2] / t);
        double[] q = softmax(student[0] / t, student[1] / t, student[2] / t);
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            sum += p[i] * Math.log(p[i] / q[i]);
        }
        return sum;
    }

    private static float[] flat(float[][] rows) {
        float[] out = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * rows[i].length, rows[i].length);
        }
        return out;
    }

    private static double[] softmax(double... x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] e = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            e[i] = Math.exp(x[i] - max);
            sum += e[i];
        }
        for (int i = 0; i < x.length; i++) {
            e[i] /= sum;
        }
        return e;
    }
}
