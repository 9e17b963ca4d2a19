package dev.verdant.train;

import static dev.verdant.train.op.NDArrayTensors.dividedBy;
import static dev.verdant.train.op.NDArrayTensors.times;

import ai.djl.ndarray.NDArray;
import dev.verdant.train.op.NDArrayTensors;

/**
 * The objective a training step minimises, computed on NDArrays so PyTorch differentiates it. Every loss takes the
 * model's logits {@code [N, C]} and the labels {@code [N]} (int64); the distillation loss also the teacher's logits.
 */
public sealed interface TrainingLoss {

    /**
     * The mean loss over the batch (a scalar NDArray).
     *
     * @param logits        the model's output {@code [N, C]}
     * @param labels        class indices {@code [N]}, int64
     * @param teacherLogits the teacher's output {@code [N, C]}, or null when the loss needs none
     */
    NDArray compute(NDArray logits, NDArray labels, NDArray teacherLogits);

    /** Whether {@link #compute} reads teacher logits. */
    default boolean needsTeacher() {
        return false;
    }

    /**
     * Whether the loss compares sentence embeddings: the session mean-pools the model's token outputs over the
     * attention mask before calling {@link #compute}, and takes the teacher's embeddings from the caller.
     */
    default boolean poolsTokens() {
        return false;
    }

    /** One line for provenance. */
    String describe();

    /** Mean of {@code -log softmax(logits)[label]}. */
    record CrossEntropy() implements TrainingLoss {
        @Override
        public NDArray compute(NDArray logits, NDArray labels, NDArray teacherLogits) {
            return crossEntropy(logits, labels);
        }

        @Override
        public String describe() {
            return "cross-entropy";
        }
    }

    /** Mean squared error between softmax-free logits and one-hot labels, per element. */
    record MeanSquaredError() implements TrainingLoss {
        @Override
        public NDArray compute(NDArray logits, NDArray labels, NDArray teacherLogits) {
            NDArray target = labels.oneHot(Math.toIntExact(logits.getShape().get(1)));
            return logits.sub(target).square().mean();
        }

        @Override
        public String describe() {
            return "mse";
        }
    }

    /**
     * Knowledge distillation (Hinton et al., 2015): {@code alpha * T^2 * KL(softmax(t/T) || softmax(s/T)) +
     * (1 - alpha) * CE(s, labels)}, the KL averaged over the batch. The {@code T^2} keeps the soft term's gradients
     * on the scale of the hard term's as the temperature grows. With {@code alpha = 0} it is plain cross-entropy and
     * reads no teacher, so a "trained alone" baseline can run through the same code path at no teacher cost.
     *
     * <p>Samples without a label ({@link dev.verdant.data.Batch#UNLABELLED}, a transfer set's) take the soft term
     * only: the KL is averaged over every sample of the batch, the cross-entropy over its labelled samples (0 when it
     * has none). A batch whose samples are all labelled gives exactly the loss above.
     *
     * @param temperature softening temperature {@code T > 0}
     * @param alpha       weight of the soft (teacher) term, in [0, 1]
     */
    record Distillation(float temperature, float alpha) implements TrainingLoss {
        public Distillation {
            if (!(temperature > 0) || !(alpha >= 0 && alpha <= 1)) {
                throw new IllegalArgumentException("distillation needs temperature > 0 and alpha in [0, 1]");
            }
        }

        @Override
        public NDArray compute(NDArray logits, NDArray labels, NDArray teacherLogits) {
            if (alpha == 0f) {
                return crossEntropy(logits, labels);
            }
            if (teacherLogits == null) {
                throw new IllegalStateException("the distillation loss needs the teacher's logits");
            }
            // numbers go in as PyTorch-owned scalars: autograd keeps them for backward (see NDArrayTensors.scalar)
            NDArray studentLog = dividedBy(logits, temperature).logSoftmax(1);
            NDArray teacherLog = dividedBy(teacherLogits, temperature).logSoftmax(1);
            NDArray kl = teacherLog.exp().mul(teacherLog.sub(studentLog)).sum(new int[] {1}).mean();
            NDArray soft = times(kl, alpha * temperature * temperature);
            return alpha == 1f ? soft : soft.add(times(labelledCrossEntropy(logits, labels), 1 - alpha));
        }

        @Override
        public boolean needsTeacher() {
            return alpha > 0;
        }

        @Override
        public String describe() {
            return "distillation(T=" + temperature + ", alpha=" + alpha + ")";
        }
    }

    /**
     * Distillation of a sentence encoder from its own unpruned (or otherwise original) version: the mean over the
     * batch of {@code 1 - cos(student, teacher)} between mean-pooled embeddings, pooled over real tokens by the
     * attention mask. Cosine rather than MSE because sentence embeddings are compared, and usually normalized, by
     * cosine: the loss is the fidelity figure the result is judged by, and spends no capacity on the vector's norm,
     * which normalization discards. The teacher's embeddings do not change, so the caller computes them once per text
     * and passes them to {@link TrainingSession#step(dev.verdant.data.TokenBatch, float[])}; this loss therefore
     * reads no {@link Teacher}.
     */
    record EmbeddingDistillation() implements TrainingLoss {
        /**
         * @param embeddings        the student's pooled embeddings {@code [N, H]}
         * @param labels            unused
         * @param teacherEmbeddings the teacher's pooled embeddings {@code [N, H]}
         */
        @Override
        public NDArray compute(NDArray embeddings, NDArray labels, NDArray teacherEmbeddings) {
            if (teacherEmbeddings == null) {
                throw new IllegalStateException("embedding distillation needs the teacher's embeddings");
            }
            NDArray dot = embeddings.mul(teacherEmbeddings).sum(new int[] {1});
            NDArray norms = embeddings.norm(new int[] {1}).mul(teacherEmbeddings.norm(new int[] {1}))
                    .maximum(NDArrayTensors.scalar(embeddings.getManager(), 1e-12f));
            return dot.div(norms).mean().neg().add(1f);
        }

        @Override
        public boolean poolsTokens() {
            return true;
        }

        @Override
        public String describe() {
            return "embedding-distillation(1 - cosine of mean-pooled embeddings)";
        }
    }

    /**
     * The mean of {@code hidden [N, T, H]} over the positions where {@code mask [N, T]} is non-zero: a sentence
     * embedding as sentence-transformers pools it. A row without tokens pools to zeros.
     */
    static NDArray meanPooled(NDArray hidden, NDArray mask) {
        NDArray weights = mask.toType(hidden.getDataType(), false).expandDims(2);
        NDArray counts = weights.sum(new int[] {1}).maximum(NDArrayTensors.scalar(weights.getManager(), 1f));
        return hidden.mul(weights).sum(new int[] {1}).div(counts);
    }

    /**
     * {@link #crossEntropy} over the samples whose label is not {@link dev.verdant.data.Batch#UNLABELLED}: the mean of
     * their {@code -log softmax(logits)[label]}, 0 when there are none; the plain mean when every sample has a label.
     */
    private static NDArray labelledCrossEntropy(NDArray logits, NDArray labels) {
        NDArray labelled = labels.gte(NDArrayTensors.scalar(labels.getManager(), 0L));
        if (labelled.all().getBoolean()) {
            return crossEntropy(logits, labels);
        }
        // numbers as PyTorch-owned scalars, and the mask made by PyTorch: autograd keeps what the product reads
        NDArray weights = labelled.toType(logits.getDataType(), false);
        NDArray classes = labels.mul(labelled.toType(labels.getDataType(), false)); // UNLABELLED (-1) -> class 0
        NDArray picked = labelLogProbabilities(logits, classes);
        NDArray count = weights.sum().maximum(NDArrayTensors.scalar(logits.getManager(), 1f));
        return picked.mul(weights).sum().div(count).neg();
    }

    private static NDArray crossEntropy(NDArray logits, NDArray labels) {
        return labelLogProbabilities(logits, labels).mean().neg();
    }

    /** {@code log softmax(logits)[n, labels[n]]} for every sample {@code n}, {@code [N]}. */
    private static NDArray labelLogProbabilities(NDArray logits, NDArray labels) {
        return logits.logSoftmax(1).mul(labels.oneHot(Math.toIntExact(logits.getShape().get(1)))).sum(new int[] {1});
    }
}
