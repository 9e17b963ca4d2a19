package dev.verdant.runtime.inspect;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.verdant.onnx.Attributes;
import java.util.Map;
import java.util.Set;

/**
 * Counts multiply-accumulates and elementwise FLOPs per node from concrete shapes, following the usual convention
 * (as in the MobileNet and EfficientNet papers): a matrix product of [M,K]x[K,N] is M·K·N MACs; a convolution is
 * output elements × input channels per group × kernel area; attention counts its projections and both batched
 * products. Biases, activations and normalizations are elementwise FLOPs, reported apart.
 */
final class CostModel {

    private static final Set<String> MATMUL_OPS = Set.of("MatMul", "MatMulInteger", "MatMulIntegerToFloat",
            "DynamicQuantizeMatMul", "QLinearMatMul", "FusedMatMul", "MatMulNBits");
    private static final Set<String> CONV_OPS = Set.of("Conv", "ConvInteger", "FusedConv", "QLinearConv", "NhwcConv");
    private static final Set<String> GEMM_OPS = Set.of("Gemm", "QGemm");
    private static final Set<String> ATTENTION_OPS = Set.of("Attention", "QAttention");
    /** Ops that do arithmetic per element they produce. */
    private static final Set<String> ELEMENTWISE_OPS = Set.of("Add", "Sub", "Mul", "Div", "Pow", "Sqrt", "Reciprocal",
            "Relu", "LeakyRelu", "PRelu", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Erf", "Exp", "Log", "Neg",
            "Abs", "Clip", "Max", "Min", "Mean", "Sum", "Elu", "Selu", "Celu", "Gelu", "BiasGelu", "FastGelu",
            "QuickGelu", "Softmax", "LogSoftmax", "LayerNormalization", "SkipLayerNormalization",
            "SimplifiedLayerNormalization", "SkipSimplifiedLayerNormalization", "EmbedLayerNormalization",
            "BatchNormalization", "InstanceNormalization", "GroupNormalization", "Where", "Softplus", "Softsign",
            "Sin", "Cos", "Floor", "Ceil", "Round", "Sign", "BiasAdd", "Mish", "ThresholdedRelu");
    /** Ops that do arithmetic per element they read. */
    private static final Set<String> REDUCING_OPS = Set.of("ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin",
            "ReduceProd", "ReduceL1", "ReduceL2", "ReduceSumSquare", "ReduceLogSumExp", "GlobalAveragePool",
            "GlobalMaxPool", "ArgMax", "ArgMin");

    private CostModel() {
    }

    static NodeCost cost(NodeProto node, String label, Map<String, long[]> shapes) {
        String op = node.getOpType();
        String qualified = node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx") ? op
                : node.getDomain() + "." + op;
        long[] out = node.getOutputCount() > 0 ? shapes.get(node.getOutput(0)) : null;
        long outElements = out == null ? -1 : product(out);
        long macs = 0;
        long elementwise = 0;
        boolean known = true;
        if (MATMUL_OPS.contains(op)) {
            long[] a = shapeOf(node, 0, shapes);
            known = a != null && out != null;
            if (known) {
                macs = outElements * a[a.length - 1];
            }
        } else if (GEMM_OPS.contains(op)) {
            long[] a = shapeOf(node, 0, shapes);
            known = a != null && out != null && a.length == 2;
            if (known) {
                long k = Attributes.getInt(node, "transA", 0) != 0 ? a[0] : a[1];
                macs = outElements * k;
                elementwise = hasInput(node, op.equals("QGemm") ? 6 : 2) ? outElements : 0;
            }
        } else if (CONV_OPS.contains(op)) {
            long[] w = shapeOf(node, op.equals("QLinearConv") ? 3 : 1, shapes);
            known = w != null && out != null && w.length >= 3;
            if (known) {
                long perOutput = 1;
                for (int i = 1; i < w.length; i++) {
                    perOutput *= w[i];
                }
                macs = outElements * perOutput;
                elementwise = hasInput(node, op.equals("QLinearConv") ? 8 : 2) ? outElements : 0;
            }
        } else if (op.equals("ConvTranspose")) {
            long[] x = shapeOf(node, 0, shapes);
            long[] w = shapeOf(node, 1, shapes);
            known = x != null && w != null && w.length >= 3;
            if (known) {
                long perInput = 1;
                for (int i = 1; i < w.length; i++) {
                    perInput *= w[i];
                }
                macs = product(x) * perInput;
            }
        } else if (ATTENTION_OPS.contains(op)) {
            known = attention(node, shapes, out) >= 0;
            macs = Math.max(0, attention(node, shapes, out));
        } else if (op.equals("MultiHeadAttention")) {
            long[] q = shapeOf(node, 0, shapes);
            long[] k = shapeOf(node, 1, shapes);
            long[] v = shapeOf(node, 2, shapes);
            known = q != null && k != null && v != null && q.length == 3 && k.length == 3 && v.length == 3;
            if (known) {
                // scores: B·S·L·Dq; context: B·S·L·Dv
                macs = q[0] * q[1] * k[1] * q[2] + q[0] * q[1] * v[1] * v[2];
            }
        } else if (ELEMENTWISE_OPS.contains(op)) {
            known = out != null;
            elementwise = Math.max(0, outElements);
        } else if (REDUCING_OPS.contains(op)) {
            long[] x = shapeOf(node, 0, shapes);
            known = x != null;
            elementwise = x == null ? 0 : product(x);
        } else if (op.equals("MaxPool") || op.equals("AveragePool") || op.equals("LpPool")) {
            long[] kernel = Attributes.getInts(node, "kernel_shape", null);
            known = out != null && kernel != null;
            if (known) {
                elementwise = outElements * product(kernel);
            }
        }
        return new NodeCost(label, qualified, out, macs, elementwise, known);
    }

    /** com.microsoft Attention: input [B,S,H_in], weights [H_in, Dq+Dk+Dv]; projections plus both batched products. */
    private static long attention(NodeProto node, Map<String, long[]> shapes, long[] out) {
        long[] x = shapeOf(node, 0, shapes);
        long[] w = shapeOf(node, 1, shapes);
        if (x == null || w == null || x.length != 3 || w.length != 2) {
            return -1;
        }
        long b = x[0];
        long s = x[1];
        long[] sizes = Attributes.getInts(node, "qkv_hidden_sizes", null);
        long dq = sizes != null ? sizes[0] : w[1] / 3;
        long dv = sizes != null ? sizes[2] : w[1] / 3;
        return b * s * w[0] * w[1] + b * s * s * dq + b * s * s * dv;
    }

    private static long[] shapeOf(NodeProto node, int index, Map<String, long[]> shapes) {
        if (index >= node.getInputCount() || node.getInput(index).isEmpty()) {
            return null;
        }
        return shapes.get(node.getInput(index));
    }

    private static boolean hasInput(NodeProto node, int index) {
        return index < node.getInputCount() && !node.getInput(index).isEmpty();
    }

    static long product(long[] dims) {
        long p = 1;
        for (long d : dims) {
            p *= d;
        }
        return p;
    }
}
