package dev.verdant.train.zoo;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.build.OnnxModelBuilder;
import java.util.List;

/**
 * A tiny transformer encoder classifier for token ids {@code [N, T]} (int64, fixed {@code T}): token embedding plus
 * learned positions, {@code layers} pre-norm encoder layers (multi-head self-attention and a ReLU feed-forward
 * network, each in a residual branch after {@code LayerNormalization}), a final layer norm, mean pooling over the
 * sequence and a linear classifier. There is no attention mask: padding tokens take part in attention and in the
 * mean, which a classifier trained on padded sequences learns to live with.
 */
public record TransformerClassifier(int vocabulary, int sequenceLength, int dim, int heads, int layers, int ffnDim,
        int classes, long seed) implements Architecture {

    public TransformerClassifier {
        if (vocabulary < 2 || sequenceLength < 1 || dim < 1 || heads < 1 || layers < 1 || ffnDim < 1 || classes < 2) {
            throw new IllegalArgumentException("transformer sizes must be positive (vocabulary and classes 2+)");
        }
        if (dim % heads != 0) {
            throw new IllegalArgumentException("model width " + dim + " does not split into " + heads + " heads");
        }
    }

    /** Width 64, 4 heads, 2 layers, feed-forward 128: about 70k parameters plus the embedding table. */
    public static TransformerClassifier tiny(int vocabulary, int sequenceLength, int classes, long seed) {
        return new TransformerClassifier(vocabulary, sequenceLength, 64, 4, 2, 128, classes, seed);
    }

    @Override
    public String id() {
        return "transformer";
    }

    @Override
    public List<Long> exampleShape() {
        return List.of((long) sequenceLength);
    }

    @Override
    public DataType inputType() {
        return DataType.INT64;
    }

    @Override
    public ModelProto build() {
        ZooGraph zoo = new ZooGraph(this, "transformer encoder classifier, " + layers + " layers, width " + dim);
        LayerWriter w = zoo.layers();
        OnnxModelBuilder g = w.graph();
        String ids = zoo.input();                                                  // [N, T] int64
        String tokens = w.weight("embeddings.token", new long[] {vocabulary, dim}, WeightInit.EMBEDDING_NORMAL);
        String positions = w.weight("embeddings.position", new long[] {sequenceLength, dim}, WeightInit.EMBEDDING_NORMAL);
        String x = g.node("Gather").name("embeddings.lookup").inputs(tokens, ids).output(); // [N, T, D]
        x = w.add(x, positions);                                                   // broadcast over N
        int headDim = dim / heads;
        String splitHeads = g.int64Constant("shape.split_heads", -1, sequenceLength, heads, headDim);
        String mergeHeads = g.int64Constant("shape.merge_heads", -1, sequenceLength, dim);
        String scale = g.floatScalar("attention.scale", (float) (1 / Math.sqrt(headDim)));
        for (int layer = 0; layer < layers; layer++) {
            String p = "layers." + layer;
            // self-attention branch: x + Wo . concat_h(softmax(Q_h K_h^T / sqrt(d)) V_h)
            String h = w.layerNorm(p + ".attention_norm", x, dim);
            String q = heads(g, w.dense(p + ".attention.query", h, dim, dim, WeightInit.GLOROT_UNIFORM), splitHeads,
                    0, 2, 1, 3);                                                   // [N, H, T, d]
            String kT = heads(g, w.dense(p + ".attention.key", h, dim, dim, WeightInit.GLOROT_UNIFORM), splitHeads,
                    0, 2, 3, 1);                                                   // [N, H, d, T]
            String v = heads(g, w.dense(p + ".attention.value", h, dim, dim, WeightInit.GLOROT_UNIFORM), splitHeads,
                    0, 2, 1, 3);                                                   // [N, H, T, d]
            String scores = g.node("Mul").inputs(g.node("MatMul").inputs(q, kT).output(), scale).output(); // [N, H, T, T]
            String weights = g.node("Softmax").inputs(scores).attribute(Attributes.ofInt("axis", -1)).output();
            String context = g.node("Transpose").inputs(g.node("MatMul").inputs(weights, v).output())
                    .attribute(Attributes.ofInts("perm", 0, 2, 1, 3)).output();     // [N, T, H, d]
            context = g.node("Reshape").inputs(context, mergeHeads).output();      // [N, T, D]
            x = w.add(x, w.dense(p + ".attention.output", context, dim, dim, WeightInit.GLOROT_UNIFORM));
            // feed-forward branch: x + W2 relu(W1 norm(x))
            h = w.layerNorm(p + ".ffn_norm", x, dim);
            h = w.relu(w.dense(p + ".ffn.up", h, dim, ffnDim, WeightInit.HE_NORMAL));
            x = w.add(x, w.dense(p + ".ffn.down", h, ffnDim, dim, WeightInit.GLOROT_UNIFORM));
        }
        x = w.layerNorm("final_norm", x, dim);
        x = g.node("ReduceMean").name("mean_pool").inputs(x)
                .attributes(Attributes.ofInts("axes", 1), Attributes.ofInt("keepdims", 0)).output(); // [N, D]
        return zoo.finish(w.linear("classifier", x, dim, classes, WeightInit.GLOROT_UNIFORM));
    }

    /** {@code [N, T, D] -> [N, T, H, d]} then the given permutation. */
    private static String heads(OnnxModelBuilder g, String x, String splitShape, long... perm) {
        String split = g.node("Reshape").inputs(x, splitShape).output();
        return g.node("Transpose").inputs(split).attribute(Attributes.ofInts("perm", perm)).output();
    }
}
