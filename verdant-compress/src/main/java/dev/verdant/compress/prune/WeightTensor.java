package dev.verdant.compress.prune;

import java.util.Arrays;

/**
 * One weight a compression pass may rewrite: a float32 initializer read as the weight input (input 1) of a
 * MatMul, Gemm or Conv node, with the axis its node sums over, so N:M groups run along the reduction.
 *
 * @param name          the initializer's name
 * @param node          the name of the first node reading it as a weight (for reports)
 * @param opType        that node's op type: {@code MatMul}, {@code Gemm} or {@code Conv}
 * @param dims          the initializer's dims
 * @param reductionAxis the axis of {@code dims} the node sums over (Gemm's {@code transB} considered; for Conv the
 *                      input-channel axis 1)
 */
public record WeightTensor(String name, String node, String opType, long[] dims, int reductionAxis) {

    public WeightTensor {
        dims = dims.clone();
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    /** Number of weights in the tensor. */
    public long elementCount() {
        long count = 1;
        for (long dim : dims) {
            count *= dim;
        }
        return count;
    }

    /** Whether the weight belongs to a convolution (Deep Compression gives those more bits than fully-connected layers). */
    public boolean isConvolution() {
        return opType.equals("Conv");
    }

    /** The length of the reduction axis: how many products one output element sums. */
    public long reductionLength() {
        return dims.length == 0 ? 1 : dims[reductionAxis];
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WeightTensor w && name.equals(w.name) && node.equals(w.node) && opType.equals(w.opType)
                && Arrays.equals(dims, w.dims) && reductionAxis == w.reductionAxis;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + Arrays.hashCode(dims)) + reductionAxis;
    }

    @Override
    public String toString() {
        return name + Arrays.toString(dims) + " (" + opType + " " + node + ")";
    }
}
