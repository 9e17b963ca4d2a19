package dev.verdant.train.zoo;

import ai.onnx.proto.OnnxMl.ModelProto;

/**
 * A MobileNetV2-style network (Sandler et al., 2018) sized for 28x28 grey images: a 3x3 stem at full resolution,
 * then inverted residual blocks (1x1 expand -> 3x3 depthwise -> 1x1 linear projection, batch norm after each
 * convolution, ReLU6 after the first two, a residual add where input and output shapes match), a 1x1 head, global
 * average pooling and a linear classifier. The {@code width} multiplier scales every channel count (rounded to a
 * multiple of 8, as the paper does), trading accuracy for MACs.
 *
 * <p>Stages for 28x28 input (expansion t, channels c, repeats n, first stride s): (1,16,1,1) (6,24,2,2) at 28 -> 14,
 * (6,32,3,2) at 14 -> 7, (6,64,2,1); head 1x1 to 256 (times width when width > 1).
 */
public record MobileNetV2(double width, int classes, long seed) implements ImageArchitecture {

    /** (expansion, channels, repeats, stride) per stage. */
    private static final int[][] STAGES = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 2, 1}};
    private static final int STEM_CHANNELS = 32;
    private static final int HEAD_CHANNELS = 256;

    public MobileNetV2 {
        if (!(width > 0 && width <= 4)) {
            throw new IllegalArgumentException("width multiplier must be in (0, 4], got " + width);
        }
        if (classes < 2) {
            throw new IllegalArgumentException("MobileNetV2 needs 2+ classes, got " + classes);
        }
    }

    @Override
    public String id() {
        return "mobilenet";
    }

    /** {@code channels * width} rounded to the nearest multiple of 8, never below 8 or 90% of the exact value. */
    static int scaled(int channels, double width) {
        double exact = channels * width;
        int rounded = Math.max(8, (int) (exact + 4) / 8 * 8);
        return rounded < 0.9 * exact ? rounded + 8 : rounded;
    }

    @Override
    public ModelProto build() {
        ZooGraph zoo = new ZooGraph(this, "MobileNetV2-style, width " + width);
        LayerWriter layers = zoo.layers();
        int channels = scaled(STEM_CHANNELS, width);
        String x = zoo.input();                                                   // [N, 1, 28, 28]
        x = layers.conv("stem.conv", x, 1, channels, 3, 1, 1, 1, false, WeightInit.HE_NORMAL);
        x = layers.relu6(layers.batchNorm("stem.bn", x, channels));               // [N, 32w, 28, 28]
        int block = 0;
        for (int[] stage : STAGES) {
            int out = scaled(stage[1], width);
            for (int repeat = 0; repeat < stage[2]; repeat++) {
                int stride = repeat == 0 ? stage[3] : 1;
                x = invertedResidual(layers, "blocks." + block++, x, channels, out, stage[0], stride);
                channels = out;
            }
        }
        int head = width > 1 ? scaled(HEAD_CHANNELS, width) : HEAD_CHANNELS;
        x = layers.conv("head.conv", x, channels, head, 1, 1, 0, 1, false, WeightInit.HE_NORMAL);
        x = layers.relu6(layers.batchNorm("head.bn", x, head));                   // [N, head, 7, 7]
        x = layers.globalAveragePool(x);                                          // [N, head]
        return zoo.finish(layers.linear("classifier", x, head, classes, WeightInit.GLOROT_UNIFORM));
    }

    /** expand 1x1 (skipped when t = 1) -> depthwise 3x3 -> project 1x1, plus the input when shapes match. */
    private static String invertedResidual(LayerWriter layers, String name, String x, int in, int out, int expansion,
            int stride) {
        int hidden = in * expansion;
        String h = x;
        if (expansion != 1) {
            h = layers.conv(name + ".expand.conv", h, in, hidden, 1, 1, 0, 1, false, WeightInit.HE_NORMAL);
            h = layers.relu6(layers.batchNorm(name + ".expand.bn", h, hidden));
        }
        h = layers.conv(name + ".depthwise.conv", h, hidden, hidden, 3, stride, 1, hidden, false, WeightInit.HE_NORMAL);
        h = layers.relu6(layers.batchNorm(name + ".depthwise.bn", h, hidden));
        // the projection stays linear: a ReLU on the narrow bottleneck would destroy information (the paper's point)
        h = layers.conv(name + ".project.conv", h, hidden, out, 1, 1, 0, 1, false, WeightInit.GLOROT_UNIFORM);
        h = layers.batchNorm(name + ".project.bn", h, out);
        return stride == 1 && in == out ? layers.add(x, h) : h;
    }
}
