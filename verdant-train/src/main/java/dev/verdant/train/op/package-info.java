/**
 * Kernels for ONNX operators and the registry that maps op type and domain to them.
 *
 * <p>A kernel reads a {@link dev.verdant.train.op.KernelContext} and sets its outputs as
 * {@link dev.verdant.train.op.Value}s: an {@link ai.djl.ndarray.NDArray} for tensor math, or a small
 * {@link dev.verdant.train.op.HostTensor} on the JVM when every input is one, so shape arithmetic (Shape, Gather,
 * Unsqueeze, Concat, Reshape, ...) never reaches PyTorch. Each {@link dev.verdant.train.op.OpSupport} names the
 * opset versions it implements and rejects, before any work, attribute combinations it does not.
 */
package dev.verdant.train.op;
