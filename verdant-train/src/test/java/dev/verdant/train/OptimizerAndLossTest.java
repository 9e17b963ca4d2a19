package dev.verdant.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
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

    @Test
    void meanSquaredErrorAgainstOneHot() {
        NDArray loss = new TrainingLoss.MeanSquaredError().compute(
                manager.create(new float[] {1f, 0.5f}, new ai.djl.ndarray.types.Shape(1, 2)),
                manager.create(new long[] {1}), null);
        assertThat(loss.getFloat()).isCloseTo((1f + 0.25f) / 2, offset(1e-6f));
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
