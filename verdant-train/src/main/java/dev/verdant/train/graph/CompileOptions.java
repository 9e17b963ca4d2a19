package dev.verdant.train.graph;

import dev.verdant.train.op.OpRegistry;

/**
 * How {@link GraphInterpreter} compiles a model: which initializers train and which kernels it may use.
 *
 * @param parameters which floating-point initializers are trainable
 * @param registry   the kernels
 */
public record CompileOptions(ParameterSelector parameters, OpRegistry registry) {

    /** All floating-point initializers trainable, the standard kernels. */
    public static CompileOptions defaults() {
        return new CompileOptions(ParameterSelector.ALL, OpRegistry.standard());
    }

    /** These options with another parameter selection. */
    public CompileOptions withParameters(ParameterSelector selector) {
        return new CompileOptions(selector, registry);
    }

    /** These options with every parameter frozen (inference only). */
    public CompileOptions frozen() {
        return withParameters(parameters.freeze("*"));
    }
}
