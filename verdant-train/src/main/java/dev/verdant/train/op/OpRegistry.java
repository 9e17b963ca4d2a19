package dev.verdant.train.op;

import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operators the interpreter can run, by domain and op type; {@link #standard()} holds every kernel Verdant
 * ships. A registry is immutable once built.
 */
public final class OpRegistry {

    /** The newest default-domain opset whose semantics the standard kernels implement. */
    public static final int MAX_OPSET = OpRegistrations.MAX_OPSET;

    private final Map<String, OpSupport> ops;

    private OpRegistry(Map<String, OpSupport> ops) {
        this.ops = Collections.unmodifiableMap(new LinkedHashMap<>(ops));
    }

    /** Every operator Verdant implements. */
    public static OpRegistry standard() {
        Builder builder = new Builder();
        ElementwiseKernels.register(builder);
        TensorKernels.register(builder);
        ReductionKernels.register(builder);
        NeuralKernels.register(builder);
        QuantizationKernels.register(builder);
        LossKernels.register(builder);
        ResizeKernels.register(builder);
        RecurrentKernels.register(builder);
        return builder.build();
    }

    /** The support for an op type in a domain ({@code ""} or {@code ai.onnx} for the default domain). */
    public Optional<OpSupport> find(String domain, String opType) {
        return Optional.ofNullable(ops.get(key(domain, opType)));
    }

    /** Why a node cannot run at the given opset of its domain, or empty when it can. */
    public Optional<String> unsupportedReason(NodeProto node, long opset) {
        Optional<OpSupport> support = find(node.getDomain(), node.getOpType());
        if (support.isEmpty()) {
            return Optional.of("no kernel");
        }
        return support.get().unsupportedReason(node, opset);
    }

    /** Every supported op, sorted by domain then type. */
    public List<OpSupport> all() {
        List<OpSupport> list = new ArrayList<>(ops.values());
        list.sort(Comparator.comparing(OpSupport::domain).thenComparing(OpSupport::opType));
        return list;
    }

    private static String key(String domain, String opType) {
        return ("ai.onnx".equals(domain) ? "" : domain) + ":" + opType;
    }

    /** Collects kernels; each kernel family registers itself through {@link OpRegistrations}. */
    public static final class Builder implements OpRegistrations {

        private final Map<String, OpSupport> ops = new LinkedHashMap<>();

        @Override
        public Builder add(OpSupport support) {
            if (ops.putIfAbsent(key(support.domain(), support.opType()), support) != null) {
                throw new IllegalStateException(support.displayName() + " registered twice");
            }
            return this;
        }

        public OpRegistry build() {
            return new OpRegistry(ops);
        }
    }
}
