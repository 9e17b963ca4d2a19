package dev.verdant.train.op;

/** Executes one ONNX node: reads its inputs and attributes from the context and sets its outputs there. */
@FunctionalInterface
public interface Kernel {

    void run(KernelContext context);
}
