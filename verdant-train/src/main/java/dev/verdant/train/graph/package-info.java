/**
 * The ONNX graph interpreter on DJL NDArrays with the PyTorch engine.
 *
 * <p>{@link dev.verdant.train.graph.GraphInterpreter#compile} validates a model up front (every unsupported op,
 * domain and opset named in one {@link dev.verdant.train.graph.UnsupportedModelException}), loads floating-point
 * initializers as {@link dev.verdant.train.graph.GraphParameter}s (trainable or frozen by
 * {@link dev.verdant.train.graph.ParameterSelector} patterns), folds constants, and schedules one kernel per node.
 * {@link dev.verdant.train.graph.CompiledGraph#forward} runs a batch in a sub-manager of the caller's manager, so
 * only the outputs outlive it; inside a {@code GradientCollector} PyTorch's autograd reaches the trainable
 * parameters. {@link dev.verdant.train.graph.CompiledGraph#exportModel} writes the current values back into the
 * original graph. {@link dev.verdant.train.graph.ConformanceSuite} checks the kernels against the ONNX backend node
 * tests.
 */
package dev.verdant.train.graph;
