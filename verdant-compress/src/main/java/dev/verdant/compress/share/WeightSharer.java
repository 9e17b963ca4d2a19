package dev.verdant.compress.share;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.verdant.compress.CompressionPass;
import dev.verdant.compress.PassContext;
import dev.verdant.compress.PassOutput;
import dev.verdant.compress.prune.WeightTensor;
import dev.verdant.compress.prune.WeightTensors;
import dev.verdant.onnx.Attributes;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.Tensors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * k-means weight sharing per layer (Deep Compression): each MatMul, Gemm and Conv weight becomes a float32
 * codebook of at most 2^bits values plus a uint8 index per weight, expanded at load by
 * {@code Gather(codebook, Cast(indices -> int32))} whose output keeps the weight's name, so ONNX Runtime runs the
 * file as it is (and folds the two nodes into a constant when it loads it).
 *
 * <p>A layer that holds zeros (it was pruned) keeps them exactly: code 0 is 0.0 and only the nonzero weights are
 * clustered, into 2^bits - 1 centroids. Prune first, then share.
 */
public final class WeightSharer implements CompressionPass {

    /** Cast took its target type as a string before opset 6. */
    private static final long MIN_OPSET = 6;

    private final SharingBits bits;
    private final ScalarKMeans kMeans;

    public WeightSharer(SharingBits bits, ScalarKMeans kMeans) {
        this.bits = bits;
        this.kMeans = kMeans;
    }

    public WeightSharer(SharingBits bits) {
        this(bits, new ScalarKMeans());
    }

    @Override
    public String name() {
        return "share";
    }

    @Override
    public void validate(OnnxGraph graph) {
        List<SharedWeight> shared = SharedWeight.find(graph);
        if (!shared.isEmpty()) {
            throw new IllegalArgumentException("share: the model's weights are shared already (Gather of codebook '"
                    + shared.getFirst().codebook() + "'); share the unshared model");
        }
        if (graph.opset() > 0 && graph.opset() < MIN_OPSET) {
            throw new IllegalArgumentException("share writes Cast with an integer 'to' attribute (opset " + MIN_OPSET
                    + " and later), but the model imports opset " + graph.opset() + "; convert it to a newer opset");
        }
        WeightTensors.requireAny(graph, name());
    }

    @Override
    public PassOutput apply(ModelProto original, PassContext context) {
        validate(OnnxGraph.of(original));
        WeightTensors.ModelWeights prepared = WeightTensors.prepare(original, name());
        ModelProto model = prepared.model();
        OnnxGraph graph = prepared.graph();
        List<WeightTensor> weights = prepared.weights();
        Set<String> taken = new HashSet<>(graph.tensorNames());
        graph.nodes().forEach(n -> taken.add(n.getName()));
        Map<String, List<TensorProto>> newInitializers = new LinkedHashMap<>();
        List<NodeProto> newNodes = new ArrayList<>();
        List<Map<String, Object>> layers = new ArrayList<>();
        long weightCount = 0;
        long bitsBefore = 0;
        long bitsAfter = 0;
        for (WeightTensor weight : weights) {
            float[] values = Tensors.toFloats(graph.initializer(weight.name()).orElseThrow());
            int layerBits = bits.bitsFor(weight);
            Codebook codebook = share(values, layerBits);
            String codebookName = unique(weight.name() + ".codebook", taken);
            String indicesName = unique(weight.name() + ".codes", taken);
            String castOutput = unique(weight.name() + ".codes_int32", taken);
            newInitializers.put(weight.name(), List.of(
                    Tensors.ofFloats(codebookName, new long[] {codebook.values().length}, codebook.values()),
                    Tensors.ofBytes(indicesName, DataType.UINT8, weight.dims(), codebook.indices())));
            newNodes.add(NodeProto.newBuilder().setOpType("Cast").setName(unique(weight.name() + "/share/Cast", taken))
                    .addInput(indicesName).addOutput(castOutput)
                    .addAttribute(Attributes.ofInt("to", DataType.INT32.code())).build());
            newNodes.add(NodeProto.newBuilder().setOpType("Gather")
                    .setName(unique(weight.name() + "/share/Gather", taken))
                    .addInput(codebookName).addInput(castOutput).addOutput(weight.name())
                    .addAttribute(Attributes.ofInt("axis", 0)).build());
            long n = values.length;
            int k = codebook.values().length;
            weightCount += n;
            bitsBefore += 32 * n;
            bitsAfter += n * layerBits + 32L * k;
            Map<String, Object> layer = new LinkedHashMap<>();
            layer.put("tensor", weight.name());
            layer.put("node", weight.node());
            layer.put("op", weight.opType());
            layer.put("params", n);
            layer.put("bits", layerBits);
            layer.put("clusters", k);
            layer.put("zeroKept", codebook.zeroReserved());
            layer.put("iterations", codebook.iterations());
            layer.put("converged", codebook.converged());
            layer.put("meanAbsError", codebook.meanAbsError());
            layer.put("maxAbsError", codebook.maxAbsError());
            layer.put("compressionRatio", 32.0 * n / (n * layerBits + 32.0 * k));
            layers.add(layer);
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("weights", weightCount);
        facts.put("layers", layers);
        // Han et al.'s ratio: 32-bit weights against b-bit indices plus a 32-bit codebook, before Huffman coding
        facts.put("compressionRatio", bitsAfter == 0 ? 1.0 : (double) bitsBefore / bitsAfter);
        return new PassOutput(rewrite(model, newInitializers, newNodes), facts);
    }

    /**
     * The shared values and indices of one layer.
     *
     * @param values       the codebook (code 0 is 0.0 when {@code zeroReserved})
     * @param indices      the code of each weight, as unsigned bytes
     * @param zeroReserved whether code 0 holds the layer's exact zeros
     * @param iterations   Lloyd iterations run
     * @param converged    whether k-means settled before its cap
     * @param meanAbsError mean |w - codebook[code]| over the layer
     * @param maxAbsError  largest |w - codebook[code]|
     */
    record Codebook(float[] values, byte[] indices, boolean zeroReserved, int iterations, boolean converged,
                    double meanAbsError, double maxAbsError) {

        /** The weights as the shared layer computes them: {@code values[indices[i]]}. */
        float[] expanded() {
            float[] weights = new float[indices.length];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = values[Byte.toUnsignedInt(indices[i])];
            }
            return weights;
        }
    }

    /** Clusters one layer; zeros (from pruning) keep code 0 and stay exactly zero. */
    Codebook share(float[] values, int layerBits) {
        int zeros = 0;
        for (float value : values) {
            if (value == 0f) {
                zeros++;
            }
        }
        boolean reserveZero = zeros > 0;
        float[] nonzero = new float[values.length - zeros];
        int at = 0;
        for (float value : values) {
            if (value != 0f) {
                nonzero[at++] = value;
            }
        }
        int clusters = (1 << layerBits) - (reserveZero ? 1 : 0);
        if (clusters < 1) {
            throw new IllegalArgumentException("1-bit sharing of a pruned layer leaves no code for its nonzero weights;"
                    + " use 2 bits or more");
        }
        ScalarKMeans.Clustering clustering = kMeans.fit(nonzero, clusters);
        int offset = reserveZero ? 1 : 0;
        float[] codebook = new float[clustering.centroids().length + offset];
        System.arraycopy(clustering.centroids(), 0, codebook, offset, clustering.centroids().length);
        byte[] indices = new byte[values.length];
        double errorSum = 0;
        double errorMax = 0;
        at = 0;
        for (int i = 0; i < values.length; i++) {
            if (values[i] == 0f) {
                continue; // index 0, value 0.0
            }
            int code = clustering.assignment()[at++] + offset;
            indices[i] = (byte) code;
            double error = Math.abs((double) values[i] - codebook[code]);
            errorSum += error;
            errorMax = Math.max(errorMax, error);
        }
        return new Codebook(codebook, indices, reserveZero, clustering.iterations(), clustering.converged(),
                values.length == 0 ? 0 : errorSum / values.length, errorMax);
    }

    private static ModelProto rewrite(ModelProto model, Map<String, List<TensorProto>> replacements,
                                      List<NodeProto> expandNodes) {
        GraphProto original = model.getGraph();
        GraphProto.Builder graph = original.toBuilder().clearInitializer().clearNode();
        for (TensorProto initializer : original.getInitializerList()) {
            List<TensorProto> replacement = replacements.get(initializer.getName());
            if (replacement == null) {
                graph.addInitializer(initializer);
            } else {
                graph.addAllInitializer(replacement);
            }
        }
        // the expanding nodes read initializers only, so they may run first
        graph.addAllNode(expandNodes).addAllNode(original.getNodeList());
        // a weight listed as a graph input (old exporters do this) is now a node output and must not be overridable
        graph.clearInput();
        original.getInputList().stream().filter(i -> !replacements.containsKey(i.getName())).forEach(graph::addInput);
        return model.toBuilder().setGraph(graph).build();
    }

    private static String unique(String wanted, Set<String> taken) {
        String name = wanted;
        for (int i = 1; taken.contains(name); i++) {
            name = wanted + "_" + i;
        }
        taken.add(name);
        return name;
    }
}
