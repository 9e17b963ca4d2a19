package dev.verdant.train.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/**
 * Training losses as ONNX writes them: NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss, with class weights,
 * {@code ignore_index} and the three reductions, differentiable with respect to the scores.
 */
final class LossKernels {

    private LossKernels() {
    }

    static void register(OpRegistrations registry) {
        registry.add("NegativeLogLikelihoodLoss", 12, context -> context.output(0,
                negativeLogLikelihood(context, context.array(0))));
        registry.add("SoftmaxCrossEntropyLoss", 12, context -> {
            NDArray logProbabilities = context.array(0).logSoftmax(1);
            context.output(0, negativeLogLikelihood(context, logProbabilities));
            if (context.wantsOutput(1)) {
                context.output(1, logProbabilities);
            }
        });
    }

    /**
     * {@code -log_prob[n, target[n, ...], ...] * weight[target]}, zero (and weightless) where the target is
     * {@code ignore_index}; {@code mean} divides by the total weight of the counted targets.
     *
     * @param logProbabilities (N, C, d1, ...) scores; input 1 holds the targets (N, d1, ...), input 2 the weights (C)
     */
    private static NDArray negativeLogLikelihood(KernelContext context, NDArray logProbabilities) {
        NDArray target = context.array(1).toType(DataType.INT64, false);
        NDArray counted = context.hasAttribute("ignore_index")
                ? target.neq(context.intAttribute("ignore_index", 0)) : target.onesLike().toType(DataType.BOOLEAN,
                        false);
        NDArray safeTarget = ElementwiseKernels.where(counted, target, target.zerosLike());
        NDArray picked = logProbabilities.gather(safeTarget.expandDims(1), 1).squeeze(1);
        NDArray weight = counted.toType(logProbabilities.getDataType(), false);
        if (context.hasInput(2)) {
            weight = weight.mul(context.array(2).get(new NDIndex("{}", safeTarget)));
        }
        NDArray loss = picked.mul(weight).neg();
        return switch (context.stringAttribute("reduction", "mean")) {
            case "none" -> loss;
            case "sum" -> loss.sum();
            case "mean" -> loss.sum().div(weight.sum());
            default -> throw new IllegalArgumentException(context.describe() + " has unknown reduction "
                    + context.stringAttribute("reduction", ""));
        };
    }
}
