package dev.verdant.runtime;

import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.Broadcasting;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongBinaryOperator;

/**
 * ONNX's shape-inference rules, one op at a time, on concrete dims: from what is known of a node's inputs, what its
 * outputs are (type, dims, and the values of small integer tensors, so shape arithmetic done inside the graph folds).
 * Written from the operator specs (onnx/docs/Operators.md, onnxruntime's ContribOperators.md) for the ops Verdant's
 * models, its fusions and common PyTorch exports use; an op without a rule here is left to the ONNX Runtime probe.
 */
final class ShapeRules {

    /** Ops whose one output has the type and dims of their first input. */
    private static final Set<String> SAME_AS_FIRST = Set.of("Sqrt", "Erf", "Tanh", "Relu", "Sigmoid", "Exp", "Log",
            "Reciprocal", "Floor", "Ceil", "Round", "Sign", "Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh",
            "Asinh", "Acosh", "Atanh", "Softplus", "Softsign", "LeakyRelu", "Elu", "Selu", "Celu", "HardSigmoid",
            "HardSwish", "Clip", "Softmax", "LogSoftmax", "Hardmax", "Gelu", "FastGelu", "BiasGelu", "QuickGelu", "Mish",
            "ThresholdedRelu", "BiasAdd", "CumSum", "Trilu", "LpNormalization", "InstanceNormalization", "LRN",
            "MeanVarianceNormalization", "Shrink", "Not", "BitwiseNot", "ScatterND", "ScatterElements", "Scatter",
            "GroupNormalization");
    /** Unary ops that keep type and dims and whose integer values fold. */
    private static final Set<String> FOLDING_UNARY = Set.of("Identity", "Neg", "Abs");
    /** Multidirectional broadcasting ops whose output has the first input's type. */
    private static final Set<String> BROADCAST = Set.of("Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Mean", "Sum",
            "Mod", "PRelu", "BitShift", "BitwiseAnd", "BitwiseOr", "BitwiseXor");
    /** Broadcasting ops with a bool output. */
    private static final Set<String> COMPARE = Set.of("Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual",
            "And", "Or", "Xor");
    private static final Set<String> MATMUL = Set.of("MatMul", "MatMulInteger", "DynamicQuantizeMatMul",
            "MatMulIntegerToFloat", "QLinearMatMul", "FusedMatMul");
    private static final Set<String> CONV = Set.of("Conv", "ConvInteger", "QLinearConv", "FusedConv");
    private static final Set<String> POOL = Set.of("MaxPool", "AveragePool", "LpPool");
    private static final Set<String> GLOBAL_POOL = Set.of("GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool");
    private static final Set<String> REDUCE = Set.of("ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd",
            "ReduceL1", "ReduceL2", "ReduceSumSquare", "ReduceLogSum", "ReduceLogSumExp");
    private static final Set<String> OTHERS = Set.of("Cast", "CastLike", "Dropout", "IsNaN", "IsInf", "Where", "Gemm",
            "ConvTranspose", "BatchNormalization", "LayerNormalization", "SimplifiedLayerNormalization",
            "SkipLayerNormalization", "SkipSimplifiedLayerNormalization", "EmbedLayerNormalization", "Attention",
            "QAttention", "DynamicQuantizeLinear", "QuantizeLinear", "DequantizeLinear", "Gather", "GatherElements",
            "Reshape", "Flatten", "Transpose", "Unsqueeze", "Squeeze", "Concat", "Slice", "Split", "Expand", "Shape",
            "Size", "ConstantOfShape", "Constant", "ArgMax", "ArgMin", "Range", "Tile", "Pad", "TopK", "Resize", "Upsample");
    /** Domains whose ops the rules know: ONNX's and ONNX Runtime's contrib ops. */
    private static final Set<String> DOMAINS = Set.of("", "ai.onnx", "com.microsoft");

    private ShapeRules() {
    }

    /** Whether there is a rule for this node's op at all (a node without one can only be probed). */
    static boolean covers(NodeProto node) {
        String op = node.getOpType();
        return DOMAINS.contains(node.getDomain()) && (SAME_AS_FIRST.contains(op) || FOLDING_UNARY.contains(op)
                || BROADCAST.contains(op) || COMPARE.contains(op) || MATMUL.contains(op) || CONV.contains(op)
                || POOL.contains(op) || GLOBAL_POOL.contains(op) || REDUCE.contains(op) || OTHERS.contains(op));
    }

    /**
     * The facts of the node's outputs, in output order, or empty when the rule needs something not known (an
     * unknown input, the values of a shape input that were not folded). The list may be shorter than the outputs:
     * the rest are not known.
     *
     * @param opset  the version of the operator set the node's domain imports
     * @param inputs facts of the node's inputs by position; null for an absent or unknown input
     * @throws IllegalArgumentException when the known shapes contradict the op (dims that do not broadcast, a
     *                                  Reshape to another element count, ...), naming the node
     */
    static Optional<List<TensorFacts>> infer(NodeProto node, long opset, List<TensorFacts> inputs) {
        if (!covers(node)) {
            return Optional.empty();
        }
        try {
            return Optional.of(rule(node, opset, new Inputs(node, inputs)));
        } catch (Mismatch e) {
            throw new IllegalArgumentException("shapes do not fit node " + describe(node) + ": " + e.getMessage()
                    + " (check --shape)", e);
        } catch (CannotInfer | IndexOutOfBoundsException | ArithmeticException | NegativeArraySizeException e) {
            // something the rule needs is not known, or a node malformed in a way the rule did not foresee (an input
            // or attribute missing, dims too large to count): ONNX Runtime's probe has the last word on it
            return Optional.empty();
        }
    }

    private static String describe(NodeProto node) {
        return (node.getName().isEmpty() ? node.getOutput(0) : node.getName()) + " (" + node.getOpType() + ")";
    }

    private static List<TensorFacts> rule(NodeProto node, long opset, Inputs in) {
        String op = node.getOpType();
        if (SAME_AS_FIRST.contains(op)) {
            return List.of(TensorFacts.of(in.get(0).type(), in.get(0).shape()));
        }
        if (FOLDING_UNARY.contains(op)) {
            TensorFacts x = in.get(0);
            if (op.equals("Identity")) {
                return List.of(x);
            }
            long[] values = x.values() == null ? null : Arrays.stream(x.values())
                    .map(v -> op.equals("Neg") ? -v : op.equals("Abs") ? Math.abs(v) : v).toArray();
            return List.of(new TensorFacts(x.type(), x.shape(), values));
        }
        if (BROADCAST.contains(op)) {
            return List.of(broadcastAll(in, in.get(0).type(), arithmetic(op)));
        }
        if (COMPARE.contains(op)) {
            return List.of(broadcastAll(in, DataType.BOOL, comparison(op)));
        }
        if (MATMUL.contains(op)) {
            return List.of(matMul(node, op, in));
        }
        if (CONV.contains(op)) {
            boolean qlinear = op.equals("QLinearConv");
            TensorFacts x = in.get(0);
            TensorFacts w = in.get(qlinear ? 3 : 1);
            DataType type = op.equals("ConvInteger") ? DataType.INT32 : qlinear ? in.get(7).type() : x.type();
            return List.of(TensorFacts.of(type, convolve(node, x.shape(), w.shape())));
        }
        if (POOL.contains(op)) {
            TensorFacts x = in.get(0);
            long[] out = pool(node, x.shape());
            return List.of(TensorFacts.of(x.type(), out), TensorFacts.of(DataType.INT64, out));
        }
        if (GLOBAL_POOL.contains(op)) {
            long[] out = in.get(0).shape().clone();
            Arrays.fill(out, 2, out.length, 1);
            return List.of(TensorFacts.of(in.get(0).type(), out));
        }
        if (REDUCE.contains(op)) {
            return List.of(reduce(node, opset, in));
        }
        return switch (op) {
            case "Cast" -> {
                TensorFacts x = in.get(0);
                DataType to = DataType.of((int) Attributes.getInt(node, "to", 0));
                yield List.of(new TensorFacts(to, x.shape(), x.type().isFloatingPoint() ? null : x.values()));
            }
            case "CastLike" -> List.of(new TensorFacts(in.get(1).type(), in.get(0).shape(),
                    in.get(0).type().isFloatingPoint() ? null : in.get(0).values()));
            case "Dropout" -> List.of(in.get(0), TensorFacts.of(DataType.BOOL, in.get(0).shape()));
            case "IsNaN", "IsInf" -> List.of(TensorFacts.of(DataType.BOOL, in.get(0).shape()));
            case "Where" -> List.of(broadcastAll(in, in.get(1).type(), null));
            case "Gemm" -> {
                long[] a = in.get(0).shape();
                long[] b = in.get(1).shape();
                require(a.length == 2 && b.length == 2, "Gemm takes 2-D A and B, not " + str(a) + " and " + str(b));
                boolean transA = Attributes.getInt(node, "transA", 0) != 0;
                boolean transB = Attributes.getInt(node, "transB", 0) != 0;
                long k = transA ? a[0] : a[1];
                require(k == (transB ? b[1] : b[0]), "inner dims of " + str(a) + " and " + str(b) + " differ");
                yield List.of(TensorFacts.of(in.get(0).type(), new long[] {transA ? a[1] : a[0], transB ? b[0] : b[1]}));
            }
            case "ConvTranspose" -> List.of(TensorFacts.of(in.get(0).type(),
                    convolveTransposed(node, in.get(0).shape(), in.get(1).shape())));
            case "BatchNormalization" -> {
                long[] channels = {in.get(0).shape()[1]};
                yield List.of(TensorFacts.of(in.get(0).type(), in.get(0).shape()),
                        TensorFacts.of(in.get(3).type(), channels), TensorFacts.of(in.get(4).type(), channels));
            }
            case "LayerNormalization", "SimplifiedLayerNormalization" -> {
                TensorFacts x = in.get(0);
                int axis = axis(Attributes.getInt(node, "axis", -1), x.rank());
                long[] stats = x.shape().clone();
                Arrays.fill(stats, axis, stats.length, 1);
                TensorFacts statistic = TensorFacts.of(DataType.FLOAT, stats);
                yield op.equals("LayerNormalization") ? List.of(TensorFacts.of(x.type(), x.shape()), statistic, statistic)
                        : List.of(TensorFacts.of(x.type(), x.shape()), statistic);
            }
            case "SkipLayerNormalization", "SkipSimplifiedLayerNormalization" -> {
                // output 0 is the normalized sum; 1 and 2 (mean, inverse std) are statistics; 3 the sum itself
                TensorFacts x = in.get(0);
                long[] stats = x.shape().clone();
                stats[stats.length - 1] = 1;
                TensorFacts statistic = TensorFacts.of(DataType.FLOAT, stats);
                TensorFacts sum = TensorFacts.of(x.type(), x.shape());
                yield List.of(sum, statistic, statistic, sum);
            }
            case "EmbedLayerNormalization" -> {
                // input_ids [B,S], word embedding [V,H] -> [B,S,H], mask index [B], embedding sum [B,S,H]
                long[] ids = in.get(0).shape();
                TensorFacts word = in.get(2);
                require(ids.length == 2 && word.rank() == 2, "EmbedLayerNormalization takes [B,S] ids and a [V,H] table");
                TensorFacts embedded = TensorFacts.of(word.type(), new long[] {ids[0], ids[1], word.shape()[1]});
                yield List.of(embedded, TensorFacts.of(DataType.INT32, new long[] {ids[0]}), embedded);
            }
            case "Attention", "QAttention" -> {
                // input [B,S,H_in], weights [H_in, Dq+Dk+Dv] -> [B,S,Dv]; "present" (past state) is left to the probe
                long[] x = in.get(0).shape();
                long[] w = in.get(1).shape();
                require(x.length == 3 && w.length == 2, op + " takes a [B,S,H] input and 2-D weights");
                long[] sizes = Attributes.getInts(node, "qkv_hidden_sizes", null);
                long dv = sizes != null && sizes.length == 3 ? sizes[2] : w[1] / 3;
                yield List.of(TensorFacts.of(op.equals("Attention") ? in.get(0).type() : DataType.FLOAT,
                        new long[] {x[0], x[1], dv}));
            }
            case "DynamicQuantizeLinear" -> List.of(TensorFacts.of(DataType.UINT8, in.get(0).shape()),
                    TensorFacts.of(DataType.FLOAT, new long[0]), TensorFacts.of(DataType.UINT8, new long[0]));
            case "QuantizeLinear" -> {
                long outputType = Attributes.getInt(node, "output_dtype", 0);
                DataType type = in.present(2) ? in.get(2).type()
                        : outputType != 0 ? DataType.of((int) outputType) : DataType.UINT8;
                yield List.of(TensorFacts.of(type, in.get(0).shape()));
            }
            case "DequantizeLinear" -> List.of(TensorFacts.of(in.get(1).type(), in.get(0).shape()));
            case "Gather" -> List.of(gather(node, in.get(0), in.get(1)));
            case "GatherElements" -> List.of(TensorFacts.of(in.get(0).type(), in.get(1).shape()));
            case "Reshape" -> {
                long[] target = opset < 5 ? Attributes.getInts(node, "shape", null) : in.values(1);
                if (target == null) {
                    throw CannotInfer.INSTANCE;
                }
                yield List.of(in.get(0).reshaped(reshape(in.get(0).shape(), target,
                        Attributes.getInt(node, "allowzero", 0) != 0)));
            }
            case "Flatten" -> {
                long[] x = in.get(0).shape();
                int axis = axis(Attributes.getInt(node, "axis", 1), x.length + 1);
                long outer = TensorFacts.count(Arrays.copyOfRange(x, 0, axis));
                yield List.of(in.get(0).reshaped(new long[] {outer, TensorFacts.count(x) / Math.max(1, outer)}));
            }
            case "Transpose" -> List.of(transpose(node, in.get(0)));
            case "Unsqueeze" -> List.of(unsqueeze(in.get(0), opset < 13 ? Attributes.getInts(node, "axes", null)
                    : in.values(1)));
            case "Squeeze" -> List.of(squeeze(in.get(0), opset < 13 ? Attributes.getInts(node, "axes", null)
                    : in.present(1) ? in.values(1) : null));
            case "Concat" -> List.of(concat(node, in));
            case "Slice" -> List.of(slice(node, opset, in));
            case "Split" -> split(node, opset, in);
            case "Expand" -> {
                TensorFacts x = in.get(0);
                long[] out = broadcast(x.shape(), in.values(1));
                yield List.of(new TensorFacts(x.type(), out, broadcastValues(x, out)));
            }
            case "Shape" -> {
                long[] dims = in.get(0).shape();
                int rank = dims.length;
                int start = clampAxis(Attributes.getInt(node, "start", 0), rank);
                int end = clampAxis(Attributes.getInt(node, "end", rank), rank);
                yield List.of(TensorFacts.int64s(Arrays.copyOfRange(dims, start, Math.max(start, end))));
            }
            case "Size" -> List.of(new TensorFacts(DataType.INT64, new long[0], new long[] {in.get(0).elements()}));
            case "ConstantOfShape" -> {
                long[] dims = in.values(0);
                Optional<TensorProto> value = Attributes.getTensor(node, "value");
                DataType type = value.map(DataType::of).orElse(DataType.FLOAT);
                long[] values = null;
                if (!type.isFloatingPoint() && value.isPresent() && TensorFacts.count(dims) <= TensorFacts.MAX_VALUES) {
                    values = new long[(int) TensorFacts.count(dims)];
                    Arrays.fill(values, Tensors.toLongs(value.get())[0]);
                }
                yield List.of(new TensorFacts(type, dims, values));
            }
            case "Constant" -> List.of(constant(node));
            case "ArgMax", "ArgMin" -> {
                long[] x = in.get(0).shape();
                int axis = axis(Attributes.getInt(node, "axis", 0), x.length);
                yield List.of(TensorFacts.of(DataType.INT64,
                        reduced(x, new boolean[x.length], axis, Attributes.getInt(node, "keepdims", 1) != 0)));
            }
            case "Range" -> {
                long start = scalar(in, 0);
                long limit = scalar(in, 1);
                long delta = scalar(in, 2);
                require(delta != 0, "Range with delta 0");
                long n = Math.max(0, ceilDiv(limit - start, delta));
                long[] values = null;
                if (n <= TensorFacts.MAX_VALUES) {
                    values = new long[(int) n];
                    for (int i = 0; i < n; i++) {
                        values[i] = start + i * delta;
                    }
                }
                yield List.of(new TensorFacts(in.get(0).type(), new long[] {n}, values));
            }
            case "Tile" -> {
                TensorFacts x = in.get(0);
                long[] repeats = in.values(1);
                require(repeats.length == x.rank(), "Tile repeats " + str(repeats) + " for rank " + x.rank());
                long[] out = new long[x.rank()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = x.shape()[i] * repeats[i];
                }
                yield List.of(TensorFacts.of(x.type(), out));
            }
            case "Pad" -> List.of(pad(node, opset, in));
            case "Resize", "Upsample" -> List.of(TensorFacts.of(in.get(0).type(), resize(node, opset, in)));
            case "TopK" -> {
                long[] x = in.get(0).shape();
                int axis = axis(Attributes.getInt(node, "axis", -1), x.length);
                long[] out = x.clone();
                out[axis] = opset < 10 ? Attributes.getInt(node, "k", 0) : scalar(in, 1);
                yield List.of(TensorFacts.of(in.get(0).type(), out), TensorFacts.of(DataType.INT64, out));
            }
            default -> throw CannotInfer.INSTANCE;
        };
    }

    // ---- broadcasting and elementwise folding

    /** Multidirectional (numpy) broadcasting of two shapes. */
    static long[] broadcast(long[] a, long[] b) {
        try {
            return Broadcasting.shape(a, b);
        } catch (IllegalArgumentException e) {
            throw new Mismatch(e.getMessage());
        }
    }

    /** All present inputs broadcast together; values fold with {@code fold} when every input's values are known. */
    private static TensorFacts broadcastAll(Inputs in, DataType type, LongBinaryOperator fold) {
        long[] out = in.get(0).shape();
        for (int i = 1; i < in.count(); i++) {
            out = broadcast(out, in.get(i).shape());
        }
        long[] values = null;
        boolean allKnown = true;
        for (int i = 0; i < in.count(); i++) {
            allKnown &= in.get(i).hasValues();
        }
        if (allKnown && TensorFacts.count(out) <= TensorFacts.MAX_VALUES) {
            if (fold != null) {
                values = broadcastValues(in.get(0), out);
                for (int i = 1; i < in.count(); i++) {
                    long[] next = broadcastValues(in.get(i), out);
                    for (int j = 0; j < values.length; j++) {
                        values[j] = fold.applyAsLong(values[j], next[j]);
                    }
                }
            } else if (in.node().getOpType().equals("Where")) {
                // Where(condition, x, y)
                long[] condition = broadcastValues(in.get(0), out);
                long[] x = broadcastValues(in.get(1), out);
                long[] y = broadcastValues(in.get(2), out);
                values = new long[condition.length];
                for (int j = 0; j < values.length; j++) {
                    values[j] = condition[j] != 0 ? x[j] : y[j];
                }
            }
        }
        return new TensorFacts(type, out, values);
    }

    /** The values of {@code x} broadcast to {@code out}, or null when they are not known or too many. */
    private static long[] broadcastValues(TensorFacts x, long[] out) {
        if (!x.hasValues() || TensorFacts.count(out) > TensorFacts.MAX_VALUES) {
            return null;
        }
        long[] inStrides = Broadcasting.strides(x.shape());
        int offset = out.length - x.rank();
        return gatherIndices(out, index -> {
            long flat = 0;
            for (int d = 0; d < x.rank(); d++) {
                flat += (x.shape()[d] == 1 ? 0 : index[d + offset]) * inStrides[d];
            }
            return x.values()[(int) flat];
        });
    }

    private static LongBinaryOperator arithmetic(String op) {
        return switch (op) {
            case "Add", "Sum" -> Long::sum;
            case "Sub" -> (a, b) -> a - b;
            case "Mul" -> (a, b) -> a * b;
            case "Div" -> (a, b) -> b == 0 ? 0 : a / b;
            case "Max" -> Math::max;
            case "Min" -> Math::min;
            default -> null;
        };
    }

    private static LongBinaryOperator comparison(String op) {
        return switch (op) {
            case "Equal" -> (a, b) -> a == b ? 1 : 0;
            case "Less" -> (a, b) -> a < b ? 1 : 0;
            case "Greater" -> (a, b) -> a > b ? 1 : 0;
            case "LessOrEqual" -> (a, b) -> a <= b ? 1 : 0;
            case "GreaterOrEqual" -> (a, b) -> a >= b ? 1 : 0;
            case "And" -> (a, b) -> a != 0 && b != 0 ? 1 : 0;
            case "Or" -> (a, b) -> a != 0 || b != 0 ? 1 : 0;
            case "Xor" -> (a, b) -> (a != 0) != (b != 0) ? 1 : 0;
            default -> null;
        };
    }

    // ---- matrix products, convolutions, pooling

    private static TensorFacts matMul(NodeProto node, String op, Inputs in) {
        boolean qlinear = op.equals("QLinearMatMul");
        long[] a = in.get(0).shape().clone();
        long[] b = in.get(qlinear ? 3 : 1).shape().clone();
        if (op.equals("FusedMatMul")) {
            swapLastTwo(a, Attributes.getInt(node, "transA", 0) != 0);
            swapLastTwo(b, Attributes.getInt(node, "transB", 0) != 0);
        }
        boolean vectorA = a.length == 1;
        boolean vectorB = b.length == 1;
        if (vectorA) {
            a = new long[] {1, a[0]};
        }
        if (vectorB) {
            b = new long[] {b[0], 1};
        }
        require(a.length >= 2 && b.length >= 2, "MatMul of scalars");
        require(a[a.length - 1] == b[b.length - 2], "inner dims of " + str(a) + " and " + str(b) + " differ");
        long[] batch = broadcast(Arrays.copyOf(a, a.length - 2), Arrays.copyOf(b, b.length - 2));
        List<Long> out = new ArrayList<>();
        Arrays.stream(batch).forEach(out::add);
        if (!vectorA) {
            out.add(a[a.length - 2]);
        }
        if (!vectorB) {
            out.add(b[b.length - 1]);
        }
        DataType type = switch (op) {
            case "MatMulInteger" -> DataType.INT32;
            case "DynamicQuantizeMatMul", "MatMulIntegerToFloat" -> DataType.FLOAT;
            case "QLinearMatMul" -> in.get(7).type();
            default -> in.get(0).type();
        };
        return TensorFacts.of(type, out.stream().mapToLong(Long::longValue).toArray());
    }

    private static void swapLastTwo(long[] dims, boolean swap) {
        if (swap && dims.length >= 2) {
            long last = dims[dims.length - 1];
            dims[dims.length - 1] = dims[dims.length - 2];
            dims[dims.length - 2] = last;
        }
    }

    /** The window attributes of Conv, ConvTranspose and the pools, for {@code spatial} spatial axes. */
    private record Window(long[] kernel, long[] strides, long[] dilations, long[] pads, String autoPad) {

        static Window of(NodeProto node, long[] kernel, int spatial) {
            require(kernel != null && kernel.length == spatial, "kernel_shape does not match the input's rank");
            long[] ones = new long[spatial];
            Arrays.fill(ones, 1);
            return new Window(kernel, Attributes.getInts(node, "strides", ones),
                    Attributes.getInts(node, "dilations", ones),
                    Attributes.getInts(node, "pads", new long[2 * spatial]),
                    Attributes.getString(node, "auto_pad", "NOTSET"));
        }

        long effectiveKernel(int i) {
            return (kernel[i] - 1) * dilations[i] + 1;
        }

        /** Output length of spatial axis {@code i} for an input of {@code length} (Conv and the pools). */
        long outputLength(int i, long length, boolean ceilMode) {
            long stride = strides[i];
            return switch (autoPad) {
                case "SAME_UPPER", "SAME_LOWER" -> ceilDiv(length, stride);
                case "VALID" -> ceilMode ? ceilDiv(length - effectiveKernel(i) + 1, stride)
                        : (length - effectiveKernel(i)) / stride + 1;
                default -> {
                    long span = length + pads[i] + pads[i + kernel.length] - effectiveKernel(i);
                    long out = (ceilMode ? ceilDiv(span, stride) : Math.floorDiv(span, stride)) + 1;
                    // with ceil_mode the last window must start inside the input or its leading padding
                    if (ceilMode && (out - 1) * stride >= length + pads[i]) {
                        out--;
                    }
                    yield out;
                }
            };
        }
    }

    /** The window of a Conv or ConvTranspose of {@code x} by weights {@code w} (kernel_shape defaults to w's). */
    private static Window convolution(NodeProto node, long[] x, long[] w) {
        require(x.length >= 3 && w.length == x.length, node.getOpType() + " of " + str(x) + " by weights " + str(w));
        return Window.of(node, Attributes.getInts(node, "kernel_shape", Arrays.copyOfRange(w, 2, w.length)),
                x.length - 2);
    }

    private static long[] convolve(NodeProto node, long[] x, long[] w) {
        Window window = convolution(node, x, w);
        int spatial = x.length - 2;
        require(x[1] == w[1] * Attributes.getInt(node, "group", 1), "input channels " + x[1] + " do not match "
                + "weights " + str(w));
        long[] out = new long[x.length];
        out[0] = x[0];
        out[1] = w[0];
        for (int i = 0; i < spatial; i++) {
            out[i + 2] = window.outputLength(i, x[i + 2], false);
        }
        return out;
    }

    private static long[] convolveTransposed(NodeProto node, long[] x, long[] w) {
        Window window = convolution(node, x, w);
        int spatial = x.length - 2;
        long[] outputShape = Attributes.getInts(node, "output_shape", null);
        long[] outputPadding = Attributes.getInts(node, "output_padding", new long[spatial]);
        long[] out = new long[x.length];
        out[0] = x[0];
        out[1] = w[1] * Attributes.getInt(node, "group", 1);
        for (int i = 0; i < spatial; i++) {
            if (outputShape != null) {
                out[i + 2] = outputShape[outputShape.length - spatial + i];
            } else if (window.autoPad().startsWith("SAME")) {
                out[i + 2] = x[i + 2] * window.strides()[i];
            } else {
                out[i + 2] = window.strides()[i] * (x[i + 2] - 1) + outputPadding[i] + window.effectiveKernel(i)
                        - window.pads()[i] - window.pads()[i + spatial];
            }
        }
        return out;
    }

    private static long[] pool(NodeProto node, long[] x) {
        require(x.length >= 3, "pooling of " + str(x));
        int spatial = x.length - 2;
        Window window = Window.of(node, Attributes.getInts(node, "kernel_shape", null), spatial);
        boolean ceilMode = Attributes.getInt(node, "ceil_mode", 0) != 0;
        long[] out = x.clone();
        for (int i = 0; i < spatial; i++) {
            out[i + 2] = window.outputLength(i, x[i + 2], ceilMode);
        }
        return out;
    }

    // ---- reductions

    private static TensorFacts reduce(NodeProto node, long opset, Inputs in) {
        TensorFacts x = in.get(0);
        // axes became an input in opset 13 for ReduceSum and in opset 18 for the others
        boolean axesInput = opset >= (node.getOpType().equals("ReduceSum") ? 13 : 18);
        long[] axes = axesInput ? (in.present(1) ? in.values(1) : null) : Attributes.getInts(node, "axes", null);
        boolean keep = Attributes.getInt(node, "keepdims", 1) != 0;
        boolean[] reduced = new boolean[x.rank()];
        if (axes == null || axes.length == 0) {
            if (Attributes.getInt(node, "noop_with_empty_axes", 0) != 0) {
                return TensorFacts.of(x.type(), x.shape());
            }
            Arrays.fill(reduced, true);
        } else {
            for (long a : axes) {
                reduced[axis(a, x.rank())] = true;
            }
        }
        return TensorFacts.of(x.type(), reduced(x.shape(), reduced, -1, keep));
    }

    /** Dims with the marked axes (and {@code extra}, when not negative) reduced to 1 or removed. */
    private static long[] reduced(long[] dims, boolean[] axes, int extra, boolean keep) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < dims.length; i++) {
            boolean gone = axes[i] || i == extra;
            if (!gone) {
                out.add(dims[i]);
            } else if (keep) {
                out.add(1L);
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    // ---- shape ops

    private static TensorFacts gather(NodeProto node, TensorFacts data, TensorFacts indices) {
        require(data.rank() >= 1, "Gather from a scalar");
        int axis = axis(Attributes.getInt(node, "axis", 0), data.rank());
        long[] d = data.shape();
        long[] out = new long[d.length - 1 + indices.rank()];
        System.arraycopy(d, 0, out, 0, axis);
        System.arraycopy(indices.shape(), 0, out, axis, indices.rank());
        System.arraycopy(d, axis + 1, out, axis + indices.rank(), d.length - axis - 1);
        long[] values = null;
        if (data.hasValues() && indices.hasValues() && TensorFacts.count(out) <= TensorFacts.MAX_VALUES) {
            long[] dataStrides = Broadcasting.strides(d);
            long[] indexStrides = Broadcasting.strides(indices.shape());
            values = gatherIndices(out, index -> {
                long which = 0;
                for (int k = 0; k < indices.rank(); k++) {
                    which += index[axis + k] * indexStrides[k];
                }
                long at = indices.values()[(int) which];
                if (at < 0) {
                    at += d[axis];
                }
                if (at < 0 || at >= d[axis]) {
                    throw new Mismatch("index " + indices.values()[(int) which] + " is out of range for axis "
                            + axis + " of " + str(d));
                }
                long flat = 0;
                for (int k = 0; k < d.length; k++) {
                    long i = k < axis ? index[k] : k == axis ? at : index[k - 1 + indices.rank()];
                    flat += i * dataStrides[k];
                }
                return data.values()[(int) flat];
            });
        }
        return new TensorFacts(data.type(), out, values);
    }

    /** Reshape's target dims: 0 copies the input's dim at that position (unless allowzero), -1 takes the rest. */
    static long[] reshape(long[] input, long[] target, boolean allowZero) {
        long[] out = target.clone();
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == 0 && !allowZero) {
                require(i < input.length, "Reshape copies dim " + i + " of " + str(input) + ", which has no such dim");
                out[i] = input[i];
            }
            if (out[i] == -1) {
                require(inferred < 0, "Reshape to " + str(target) + " has two -1 dims");
                inferred = i;
            } else {
                require(out[i] >= 0, "Reshape to " + str(target));
                known *= out[i];
            }
        }
        long total = TensorFacts.count(input);
        if (inferred >= 0) {
            require(known != 0 && total % known == 0, "cannot reshape " + str(input) + " to " + str(target));
            out[inferred] = total / known;
        }
        require(TensorFacts.count(out) == total, "cannot reshape " + str(input) + " (" + total + " elements) to "
                + str(target));
        return out;
    }

    private static TensorFacts transpose(NodeProto node, TensorFacts x) {
        int rank = x.rank();
        long[] reversed = new long[rank];
        for (int i = 0; i < rank; i++) {
            reversed[i] = rank - 1 - i;
        }
        long[] perm = Attributes.getInts(node, "perm", reversed);
        require(perm.length == rank, "perm " + str(perm) + " for rank " + rank);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            out[i] = x.shape()[(int) perm[i]];
        }
        long[] values = null;
        if (x.hasValues()) {
            long[] inStrides = Broadcasting.strides(x.shape());
            values = gatherIndices(out, index -> {
                long flat = 0;
                for (int i = 0; i < rank; i++) {
                    flat += index[i] * inStrides[(int) perm[i]];
                }
                return x.values()[(int) flat];
            });
        }
        return new TensorFacts(x.type(), out, values);
    }

    /** Unsqueeze: axes (negative counted from the output's end) each get a new dim of 1. */
    static TensorFacts unsqueeze(TensorFacts x, long[] axes) {
        if (axes == null) {
            throw CannotInfer.INSTANCE;
        }
        int rank = x.rank() + axes.length;
        boolean[] inserted = new boolean[rank];
        for (long a : axes) {
            int axis = axis(a, rank);
            require(!inserted[axis], "Unsqueeze names axis " + a + " twice");
            inserted[axis] = true;
        }
        long[] out = new long[rank];
        for (int i = 0, j = 0; i < rank; i++) {
            out[i] = inserted[i] ? 1 : x.shape()[j++];
        }
        return x.reshaped(out);
    }

    /** Squeeze: the named axes (all dims of 1 when none are named) go. */
    static TensorFacts squeeze(TensorFacts x, long[] axes) {
        boolean[] removed = new boolean[x.rank()];
        for (int i = 0; i < x.rank(); i++) {
            removed[i] = (axes == null || axes.length == 0) && x.shape()[i] == 1;
        }
        if (axes != null) {
            for (long a : axes) {
                int axis = axis(a, x.rank());
                require(x.shape()[axis] == 1, "Squeeze of axis " + a + " of " + str(x.shape()) + ", which is not 1");
                removed[axis] = true;
            }
        }
        return x.reshaped(reduced(x.shape(), removed, -1, false));
    }

    private static TensorFacts concat(NodeProto node, Inputs in) {
        TensorFacts first = in.get(0);
        int rank = first.rank();
        int axis = axis(Attributes.getInt(node, "axis", 0), rank);
        long[] out = first.shape().clone();
        out[axis] = 0;
        boolean allValues = true;
        for (int i = 0; i < in.count(); i++) {
            long[] s = in.get(i).shape();
            require(s.length == rank, "Concat of ranks " + rank + " and " + s.length);
            for (int d = 0; d < rank; d++) {
                require(d == axis || s[d] == out[d], "Concat of " + str(first.shape()) + " and " + str(s)
                        + " on axis " + axis);
            }
            out[axis] += s[axis];
            allValues &= in.get(i).hasValues();
        }
        long[] values = null;
        if (allValues && TensorFacts.count(out) <= TensorFacts.MAX_VALUES) {
            // each input contributes blocks of (its axis length × inner) per outer index
            long inner = TensorFacts.count(Arrays.copyOfRange(out, axis + 1, rank));
            long outer = TensorFacts.count(Arrays.copyOfRange(out, 0, axis));
            values = new long[(int) TensorFacts.count(out)];
            int at = 0;
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < in.count(); i++) {
                    int block = (int) (in.get(i).shape()[axis] * inner);
                    System.arraycopy(in.get(i).values(), o * block, values, at, block);
                    at += block;
                }
            }
        }
        return new TensorFacts(first.type(), out, values);
    }

    private static TensorFacts slice(NodeProto node, long opset, Inputs in) {
        TensorFacts x = in.get(0);
        long[] starts;
        long[] ends;
        long[] axes;
        long[] steps = null;
        if (opset < 10) {
            starts = Attributes.getInts(node, "starts", null);
            ends = Attributes.getInts(node, "ends", null);
            axes = Attributes.getInts(node, "axes", null);
        } else {
            starts = in.values(1);
            ends = in.values(2);
            axes = in.present(3) ? in.values(3) : null;
            steps = in.present(4) ? in.values(4) : null;
        }
        require(starts != null && ends != null && starts.length == ends.length, "Slice without matching starts/ends");
        long[] begin = new long[x.rank()];
        long[] step = new long[x.rank()];
        Arrays.fill(step, 1);
        long[] out = x.shape().clone();
        for (int j = 0; j < starts.length; j++) {
            int axis = axis(axes == null ? j : axes[j], x.rank());
            long s = steps == null ? 1 : steps[j];
            require(s != 0, "Slice step 0");
            long[] range = sliceRange(x.shape()[axis], starts[j], ends[j], s);
            begin[axis] = range[0];
            step[axis] = s;
            out[axis] = range[1];
        }
        long[] values = null;
        if (x.hasValues()) {
            long[] inStrides = Broadcasting.strides(x.shape());
            values = gatherIndices(out, index -> {
                long flat = 0;
                for (int d = 0; d < index.length; d++) {
                    flat += (begin[d] + index[d] * step[d]) * inStrides[d];
                }
                return x.values()[(int) flat];
            });
        }
        return new TensorFacts(x.type(), out, values);
    }

    /**
     * Slice of one axis of length {@code dim}: the first index taken and how many are taken. Negative starts and
     * ends count from the end; both are clamped (ends such as INT64_MAX mean "to the end").
     */
    static long[] sliceRange(long dim, long start, long end, long step) {
        if (start < 0) {
            start += dim;
        }
        if (end < 0) {
            end += dim;
        }
        if (step > 0) {
            start = Math.clamp(start, 0, dim);
            end = Math.clamp(end, 0, dim);
            return new long[] {start, Math.max(0, ceilDiv(end - start, step))};
        }
        start = Math.clamp(start, 0, dim - 1);
        end = Math.clamp(end, -1, dim - 1);
        return new long[] {start, Math.max(0, ceilDiv(start - end, -step))};
    }

    private static List<TensorFacts> split(NodeProto node, long opset, Inputs in) {
        TensorFacts x = in.get(0);
        int axis = axis(Attributes.getInt(node, "axis", 0), x.rank());
        long dim = x.shape()[axis];
        int outputs = node.getOutputCount();
        long[] sizes = opset < 13 ? Attributes.getInts(node, "split", null) : in.present(1) ? in.values(1) : null;
        if (sizes == null) {
            long parts = Attributes.getInt(node, "num_outputs", outputs);
            long each = ceilDiv(dim, parts);
            require(opset >= 18 || dim % parts == 0, "Split of " + dim + " into " + parts + " equal parts");
            sizes = new long[(int) parts];
            for (int i = 0; i < parts; i++) {
                sizes[i] = Math.min(each, dim - i * each);
            }
        }
        require(Arrays.stream(sizes).sum() == dim, "Split sizes " + str(sizes) + " of a dim of " + dim);
        List<TensorFacts> result = new ArrayList<>();
        for (long size : sizes) {
            long[] out = x.shape().clone();
            out[axis] = size;
            result.add(TensorFacts.of(x.type(), out));
        }
        return result;
    }

    private static TensorFacts pad(NodeProto node, long opset, Inputs in) {
        TensorFacts x = in.get(0);
        long[] pads = opset < 11 ? Attributes.getInts(node, opset < 2 ? "paddings" : "pads", null) : in.values(1);
        long[] axes = opset >= 18 && in.present(3) ? in.values(3) : null;
        int n = axes == null ? x.rank() : axes.length;
        require(pads != null && pads.length == 2 * n, "Pad with pads " + str(pads));
        long[] out = x.shape().clone();
        for (int j = 0; j < n; j++) {
            int axis = axes == null ? j : axis(axes[j], x.rank());
            out[axis] += pads[j] + pads[j + n];
        }
        return TensorFacts.of(x.type(), out);
    }

    /**
     * Resize (and Upsample, its older name): the output sizes when given (opset 11 on, optionally on some axes from
     * opset 18), else each dim times its scale, truncated as ONNX Runtime does (a float product).
     */
    private static long[] resize(NodeProto node, long opset, Inputs in) {
        long[] x = in.get(0).shape();
        boolean upsample = node.getOpType().equals("Upsample");
        int scalesInput = upsample || opset < 11 ? 1 : 2;
        long[] axes = opset >= 18 ? Attributes.getInts(node, "axes", null) : null;
        long[] out = x.clone();
        if (!upsample && opset >= 11 && in.present(3) && in.get(3).elements() > 0) {
            if (!Attributes.getString(node, "keep_aspect_ratio_policy", "stretch").equals("stretch")) {
                throw CannotInfer.INSTANCE;
            }
            long[] sizes = in.values(3);
            require(sizes.length == (axes == null ? x.length : axes.length), "Resize sizes " + str(sizes)
                    + " for rank " + x.length);
            for (int j = 0; j < sizes.length; j++) {
                out[axes == null ? j : axis(axes[j], x.length)] = sizes[j];
            }
            return out;
        }
        float[] scales = upsample && opset < 9 ? Attributes.getFloats(node, "scales", null)
                : in.present(scalesInput) ? in.get(scalesInput).floats() : null;
        if (scales == null) {
            throw CannotInfer.INSTANCE;
        }
        require(scales.length == (axes == null ? x.length : axes.length), "Resize scales of " + scales.length
                + " values for rank " + x.length);
        for (int j = 0; j < scales.length; j++) {
            int a = axes == null ? j : axis(axes[j], x.length);
            out[a] = (long) (scales[j] * (float) x[a]);
        }
        return out;
    }

    private static TensorFacts constant(NodeProto node) {
        Optional<TensorProto> tensor = Attributes.getTensor(node, "value");
        if (tensor.isPresent()) {
            return TensorFacts.ofConstant(tensor.get());
        }
        if (Attributes.has(node, "value_int")) {
            return new TensorFacts(DataType.INT64, new long[0], new long[] {Attributes.getInt(node, "value_int", 0)});
        }
        if (Attributes.has(node, "value_ints")) {
            return TensorFacts.int64s(Attributes.getInts(node, "value_ints", new long[0]));
        }
        if (Attributes.has(node, "value_float")) {
            return new TensorFacts(DataType.FLOAT, new long[0], null,
                    new float[] {Attributes.getFloat(node, "value_float", 0f)});
        }
        if (Attributes.has(node, "value_floats")) {
            float[] floats = Attributes.getFloats(node, "value_floats", new float[0]);
            return new TensorFacts(DataType.FLOAT, new long[] {floats.length}, null, floats);
        }
        throw CannotInfer.INSTANCE;
    }

    // ---- small helpers

    /** Values of a tensor of {@code out} dims, each from a function of its multi-index. */
    private static long[] gatherIndices(long[] out, java.util.function.ToLongFunction<long[]> valueAt) {
        long n = TensorFacts.count(out);
        if (n > TensorFacts.MAX_VALUES) {
            return null;
        }
        long[] values = new long[(int) n];
        long[] index = new long[out.length];
        for (int flat = 0; flat < n; flat++) {
            values[flat] = valueAt.applyAsLong(index);
            for (int d = out.length - 1; d >= 0; d--) {
                if (++index[d] < out[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        return values;
    }

    private static long scalar(Inputs in, int index) {
        long[] values = in.values(index);
        require(values.length == 1, "expected one value, got " + str(values));
        return values[0];
    }

    /** An axis attribute (negative counts from the end) as an index into {@code rank} dims. */
    private static int axis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        require(a >= 0 && a < Math.max(rank, 1), "axis " + axis + " for rank " + rank);
        return (int) a;
    }

    /** Shape's start and end: negative counts from the end, then clamped to [0, rank]. */
    private static int clampAxis(long axis, int rank) {
        return (int) Math.clamp(axis < 0 ? axis + rank : axis, 0, rank);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new Mismatch(message);
        }
    }

    private static String str(long[] dims) {
        return dims == null ? "none" : Arrays.toString(dims).replace(" ", "");
    }

    /** A node's input facts by position, failing the rule (not the inference) when one it needs is not known. */
    private record Inputs(NodeProto node, List<TensorFacts> facts) {

        boolean present(int index) {
            return index < node.getInputCount() && !node.getInput(index).isEmpty();
        }

        int count() {
            return node.getInputCount();
        }

        TensorFacts get(int index) {
            TensorFacts f = index < facts.size() ? facts.get(index) : null;
            if (f == null) {
                throw CannotInfer.INSTANCE;
            }
            return f;
        }

        long[] values(int index) {
            long[] values = get(index).values();
            if (values == null) {
                throw CannotInfer.INSTANCE;
            }
            return values;
        }
    }

    /** The rule needs something not known; the node is left to the probe. */
    private static final class CannotInfer extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final CannotInfer INSTANCE = new CannotInfer();

        private CannotInfer() {
            super(null, null, false, false);
        }
    }

    /** The known shapes contradict the op. */
    private static final class Mismatch extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Mismatch(String message) {
            super(message, null, false, false);
        }
    }
}
