package dev.verdant.train.zoo;

import java.util.random.RandomGenerator;

/**
 * How a fresh weight tensor is drawn: He (Kaiming) normal for layers followed by ReLU, Glorot (Xavier) uniform for
 * tanh and linear layers, a small normal for embeddings. Biases start at zero.
 */
public enum WeightInit {
    /** N(0, 2 / fan_in): keeps the activation variance through ReLU layers (He et al., 2015). */
    HE_NORMAL,
    /** U(-a, a) with a = sqrt(6 / (fan_in + fan_out)): for tanh and linear outputs (Glorot and Bengio, 2010). */
    GLOROT_UNIFORM,
    /** N(0, 0.02^2): token and position embeddings, as BERT-style encoders start. */
    EMBEDDING_NORMAL;

    /** {@code count} values for a layer with the given fans, drawn from {@code random}. */
    public float[] sample(int count, long fanIn, long fanOut, RandomGenerator random) {
        float[] values = new float[count];
        switch (this) {
            case HE_NORMAL -> {
                double std = Math.sqrt(2.0 / fanIn);
                for (int i = 0; i < count; i++) {
                    values[i] = (float) (random.nextGaussian() * std);
                }
            }
            case GLOROT_UNIFORM -> {
                double limit = Math.sqrt(6.0 / (fanIn + fanOut));
                for (int i = 0; i < count; i++) {
                    values[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
                }
            }
            case EMBEDDING_NORMAL -> {
                for (int i = 0; i < count; i++) {
                    values[i] = (float) (random.nextGaussian() * 0.02);
                }
            }
        }
        return values;
    }
}
