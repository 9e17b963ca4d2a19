package dev.verdant.train.zoo;

import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.build.OnnxModelBuilder;
import java.util.SplittableRandom;

/**
 * Writes the usual neural-network layers as ONNX nodes with freshly initialised weights, on top of an
 * {@link OnnxModelBuilder}. Parameters are named as PyTorch names them ({@code conv1.weight}, {@code bn1.running_mean},
 * ...), so {@code --freeze} patterns read the same here as in a PyTorch export. Every method takes the input tensor's
 * name and returns the output tensor's name.
 */
public final class LayerWriter {

    private final OnnxModelBuilder graph;
    private final SplittableRandom random;
    private String relu6Min;
    private String relu6Max;

    /** Writes into {@code graph}, drawing weights from a generator seeded with {@code seed}. */
    public LayerWriter(OnnxModelBuilder graph, long seed) {
        this.graph = graph;
        this.random = new SplittableRandom(seed);
    }

    public OnnxModelBuilder graph() {
        return graph;
    }

    /**
     * A 2-D convolution: weight {@code [out, in/groups, k, k]} (and bias {@code [out]} when asked), square kernel,
     * symmetric padding. {@code groups == in == out} makes it depthwise.
     */
    public String conv(String name, String x, int in, int out, int kernel, int stride, int pad, int groups,
            boolean bias, WeightInit init) {
        if (in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException(name + ": " + in + " -> " + out + " channels do not split into "
                    + groups + " groups");
        }
        int inPerGroup = in / groups;
        long fanIn = (long) inPerGroup * kernel * kernel;
        long fanOut = (long) (out / groups) * kernel * kernel;
        String w = graph.initializer(name + ".weight", new long[] {out, inPerGroup, kernel, kernel},
                init.sample(Math.toIntExact((long) out * fanIn), fanIn, fanOut, random));
        OnnxModelBuilder.NodeBuilder node = graph.node("Conv").name(name).inputs(x, w);
        if (bias) {
            node.inputs(graph.initializer(name + ".bias", new long[] {out}, new float[out]));
        }
        return node.attributes(
                Attributes.ofInts("kernel_shape", kernel, kernel),
                Attributes.ofInts("strides", stride, stride),
                Attributes.ofInts("pads", pad, pad, pad, pad),
                Attributes.ofInt("group", groups)).output();
    }

    /** A fully connected layer on a {@code [N, in]} tensor: {@code Gemm} with weight {@code [out, in]} (PyTorch's layout). */
    public String linear(String name, String x, int in, int out, WeightInit init) {
        String w = graph.initializer(name + ".weight", new long[] {out, in}, init.sample(in * out, in, out, random));
        String b = graph.initializer(name + ".bias", new long[] {out}, new float[out]);
        return graph.node("Gemm").name(name).inputs(x, w, b).attribute(Attributes.ofInt("transB", 1)).output();
    }

    /**
     * A fully connected layer on the last axis of a tensor of any rank: {@code MatMul} by weight {@code [in, out]}
     * then {@code Add} bias, the form transformer exports take.
     */
    public String dense(String name, String x, int in, int out, WeightInit init) {
        String w = graph.initializer(name + ".weight", new long[] {in, out}, init.sample(in * out, in, out, random));
        String b = graph.initializer(name + ".bias", new long[] {out}, new float[out]);
        String product = graph.node("MatMul").name(name + "/MatMul").inputs(x, w).output();
        return graph.node("Add").name(name).inputs(product, b).output();
    }

    /** A weight tensor with no op of its own (embedding tables, position tables). */
    public String weight(String name, long[] dims, WeightInit init) {
        long count = 1;
        for (long dim : dims) {
            count *= dim;
        }
        long fanIn = dims.length > 1 ? dims[dims.length - 1] : count;
        return graph.initializer(name, dims, init.sample(Math.toIntExact(count), fanIn, dims[0], random));
    }

    /**
     * Batch normalisation over channels: scale 1, shift 0, running mean 0 and variance 1; the trainer updates the
     * running statistics, the exported graph uses them.
     */
    public String batchNorm(String name, String x, int channels) {
        float[] ones = new float[channels];
        java.util.Arrays.fill(ones, 1f);
        String scale = graph.initializer(name + ".weight", new long[] {channels}, ones);
        String shift = graph.initializer(name + ".bias", new long[] {channels}, new float[channels]);
        String mean = graph.initializer(name + ".running_mean", new long[] {channels}, new float[channels]);
        String variance = graph.initializer(name + ".running_var", new long[] {channels}, ones.clone());
        return graph.node("BatchNormalization").name(name).inputs(x, scale, shift, mean, variance)
                .attributes(Attributes.ofFloat("epsilon", 1e-5f), Attributes.ofFloat("momentum", 0.9f)).output();
    }

    /** Layer normalisation over the last axis (opset 17's {@code LayerNormalization}), gamma 1 and beta 0. */
    public String layerNorm(String name, String x, int dim) {
        float[] ones = new float[dim];
        java.util.Arrays.fill(ones, 1f);
        String gamma = graph.initializer(name + ".weight", new long[] {dim}, ones);
        String beta = graph.initializer(name + ".bias", new long[] {dim}, new float[dim]);
        return graph.node("LayerNormalization").name(name).inputs(x, gamma, beta)
                .attributes(Attributes.ofInt("axis", -1), Attributes.ofFloat("epsilon", 1e-5f)).output();
    }

    public String activation(Activation activation, String x) {
        return graph.node(activation.opType()).inputs(x).output();
    }

    public String relu(String x) {
        return activation(Activation.RELU, x);
    }

    /** min(max(x, 0), 6) as {@code Clip}, MobileNet's activation; the bounds are shared constants. */
    public String relu6(String x) {
        if (relu6Min == null) {
            relu6Min = graph.floatScalar(graph.uniqueName("relu6.min"), 0f);
            relu6Max = graph.floatScalar(graph.uniqueName("relu6.max"), 6f);
        }
        return graph.node("Clip").inputs(x, relu6Min, relu6Max).output();
    }

    /** Max pooling with a square window, no padding. */
    public String maxPool(String x, int kernel, int stride) {
        return graph.node("MaxPool").inputs(x).attributes(
                Attributes.ofInts("kernel_shape", kernel, kernel), Attributes.ofInts("strides", stride, stride))
                .output();
    }

    /** {@code [N, C, H, W] -> [N, C*H*W]}. */
    public String flatten(String x) {
        return graph.node("Flatten").inputs(x).attribute(Attributes.ofInt("axis", 1)).output();
    }

    /** {@code [N, C, H, W] -> [N, C]}: global average pooling then flatten. */
    public String globalAveragePool(String x) {
        return flatten(graph.node("GlobalAveragePool").inputs(x).output());
    }

    public String add(String a, String b) {
        return graph.node("Add").inputs(a, b).output();
    }
}
