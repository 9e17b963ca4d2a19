package dev.verdant.compress.prune;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many of one layer's weights are zero, for the per-layer sparsity table.
 *
 * @param tensor the weight initializer
 * @param node   the node that reads it
 * @param opType that node's op type
 * @param params weights in the tensor
 * @param zeros  weights equal to zero
 */
public record LayerSparsity(String tensor, String node, String opType, long params, long zeros) {

    /** The row for one weight with its values. */
    public static LayerSparsity of(WeightTensor weight, float[] values) {
        long zeros = 0;
        for (float value : values) {
            if (value == 0f) {
                zeros++;
            }
        }
        return new LayerSparsity(weight.name(), weight.node(), weight.opType(), values.length, zeros);
    }

    /** Zeros over params, 0 for an empty tensor. */
    public double sparsity() {
        return params == 0 ? 0.0 : (double) zeros / params;
    }

    /** The row as a map for {@code PassOutput} facts and JSON. */
    public Map<String, Object> toFact() {
        Map<String, Object> fact = new LinkedHashMap<>();
        fact.put("tensor", tensor);
        fact.put("node", node);
        fact.put("op", opType);
        fact.put("params", params);
        fact.put("zeros", zeros);
        fact.put("sparsity", sparsity());
        return fact;
    }
}
