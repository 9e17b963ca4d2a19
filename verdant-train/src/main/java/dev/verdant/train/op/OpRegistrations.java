package dev.verdant.train.op;

/**
 * Where a kernel family registers the operators it implements (the {@link OpRegistry}'s builder, seen from the
 * kernels, so that they need not know the registry that lists them).
 */
public interface OpRegistrations {

    /** The newest default-domain opset whose semantics the standard kernels implement. */
    int MAX_OPSET = 22;

    /** Registers {@code support}; an op registered twice is an error. */
    OpRegistrations add(OpSupport support);

    /** A default-domain op supported from {@code sinceVersion} to {@link #MAX_OPSET}, any attributes. */
    default OpRegistrations add(String opType, int sinceVersion, Kernel kernel) {
        return add(new OpSupport("", opType, sinceVersion, MAX_OPSET, kernel, NodeValidator.ANY));
    }

    /** A default-domain op with an up-front attribute check. */
    default OpRegistrations add(String opType, int sinceVersion, Kernel kernel, NodeValidator validator) {
        return add(new OpSupport("", opType, sinceVersion, MAX_OPSET, kernel, validator));
    }
}
