package dev.verdant.runtime.inspect;

/**
 * The compute of one node for concrete input shapes.
 *
 * @param name             the node's name (or {@code op#index} when it has none)
 * @param opType           the operator, prefixed by its domain when not the default one
 * @param outputShape      the first output's dims, or null when unknown
 * @param macs             multiply-accumulates of the matrix ops (MatMul, Gemm, Conv, attention); 0 for others
 * @param elementwiseFlops floating-point operations of elementwise, normalization, activation, reduction and
 *                         pooling ops: one per element produced (reductions and pooling: one per element read)
 * @param known            false when a shape the rule needs was not found, so the counts are a lower bound
 */
public record NodeCost(String name, String opType, long[] outputShape, long macs, long elementwiseFlops, boolean known) {

    /** Floating-point operations: two per multiply-accumulate plus the elementwise ones. */
    public long flops() {
        return 2 * macs + elementwiseFlops;
    }
}
