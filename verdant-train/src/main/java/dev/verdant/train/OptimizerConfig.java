package dev.verdant.train;

import ai.djl.training.optimizer.Optimizer;
import java.util.Locale;

/**
 * Which optimizer updates the weights, with its hyper-parameters; {@link #create} builds the DJL optimizer that does
 * the arithmetic (in place, on the PyTorch engine).
 */
public sealed interface OptimizerConfig {

    /** The DJL optimizer for this configuration, reading its rate from {@code schedule}. */
    Optimizer create(LearningRateSchedule schedule);

    /** The name used on the command line and in provenance. */
    String name();

    /** The learning rate {@code --optimizer NAME} starts from when {@code --lr} is not given. */
    float defaultLearningRate();

    /** One line for provenance, e.g. {@code adamw(beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01)}. */
    String describe();

    /**
     * Stochastic gradient descent with (heavy-ball) momentum and coupled L2 weight decay.
     *
     * @param momentum    fraction of the previous step kept, in [0, 1)
     * @param weightDecay L2 coefficient added to the gradient
     */
    record Sgd(float momentum, float weightDecay) implements OptimizerConfig {
        public Sgd {
            if (!(momentum >= 0 && momentum < 1) || weightDecay < 0) {
                throw new IllegalArgumentException("SGD needs momentum in [0, 1) and weight decay >= 0");
            }
        }

        @Override
        public Optimizer create(LearningRateSchedule schedule) {
            return Optimizer.sgd().setLearningRateTracker(schedule).optMomentum(momentum).optWeightDecays(weightDecay)
                    .build();
        }

        @Override
        public String name() {
            return "sgd";
        }

        @Override
        public float defaultLearningRate() {
            return 0.05f;
        }

        @Override
        public String describe() {
            return "sgd(momentum=" + momentum + ", weight_decay=" + weightDecay + ")";
        }
    }

    /**
     * Adam with decoupled weight decay (Loshchilov and Hutter, 2019): the decay shrinks the weights directly instead
     * of entering the adaptive gradient.
     */
    record AdamW(float beta1, float beta2, float epsilon, float weightDecay) implements OptimizerConfig {
        public AdamW {
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0) || weightDecay < 0) {
                throw new IllegalArgumentException("AdamW needs betas in [0, 1), epsilon > 0 and weight decay >= 0");
            }
        }

        @Override
        public Optimizer create(LearningRateSchedule schedule) {
            return Optimizer.adamW().optLearningRateTracker(schedule).optBeta1(beta1).optBeta2(beta2)
                    .optEpsilon(epsilon).optWeightDecays(weightDecay).build();
        }

        @Override
        public String name() {
            return "adamw";
        }

        @Override
        public float defaultLearningRate() {
            return 1e-3f;
        }

        @Override
        public String describe() {
            return "adamw(beta1=" + beta1 + ", beta2=" + beta2 + ", eps=" + epsilon + ", weight_decay=" + weightDecay
                    + ")";
        }
    }

    /** SGD with momentum 0.9 and weight decay 5e-4, the common CNN recipe. */
    static OptimizerConfig sgd() {
        return new Sgd(0.9f, 5e-4f);
    }

    /** AdamW with PyTorch's defaults (betas 0.9 and 0.999, epsilon 1e-8, weight decay 0.01). */
    static OptimizerConfig adamW() {
        return new AdamW(0.9f, 0.999f, 1e-8f, 0.01f);
    }

    /** {@code sgd} or {@code adamw}, with the defaults above. */
    static OptimizerConfig byName(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "sgd" -> sgd();
            case "adamw" -> adamW();
            default -> throw new IllegalArgumentException("unknown optimizer '" + name + "'; expected sgd or adamw");
        };
    }
}
