package dev.verdant.compress.prune;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import dev.verdant.compress.PassContext;
import dev.verdant.compress.PassOutput;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.Tensors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Magnitude pruning without retraining: sets the smallest weights of MatMul, Gemm and Conv to zero, globally, per
 * layer or in an N:M pattern, hitting the target exactly (ties at the threshold are broken in tensor order). Its
 * facts hold the per-layer sparsity table; what the zeros cost in accuracy is measured by running both models.
 */
public final class MagnitudePruner implements WeightPruningPass {

    private final PruningTarget target;

    public MagnitudePruner(PruningTarget target) {
        this.target = target;
    }

    public PruningTarget target() {
        return target;
    }

    @Override
    public String name() {
        return "prune";
    }

    @Override
    public PassOutput apply(ModelProto original, PassContext context) {
        WeightTensors.ModelWeights prepared = WeightTensors.prepare(original, name());
        ModelProto model = prepared.model();
        OnnxGraph graph = prepared.graph();
        List<WeightTensor> weights = prepared.weights();
        Map<String, float[]> values = new LinkedHashMap<>();
        for (WeightTensor weight : weights) {
            values.put(weight.name(), Tensors.toFloats(graph.initializer(weight.name()).orElseThrow()));
        }
        List<Map<String, Object>> skipped = new ArrayList<>();
        switch (target) {
            case PruningTarget.Global global -> pruneSmallest(new ArrayList<>(values.values()), global.sparsity());
            case PruningTarget.PerLayer perLayer -> values.values()
                    .forEach(v -> pruneSmallest(List.of(v), perLayer.sparsity()));
            case PruningTarget.Layers layers -> values
                    .forEach((name, v) -> pruneSmallest(List.of(v), layers.sparsityOf(name)));
            case PruningTarget.NOfM pattern -> {
                for (WeightTensor weight : weights) {
                    long length = weight.reductionLength();
                    if (length % pattern.groupSize() != 0) {
                        skipped.add(Map.of("tensor", weight.name(), "reason", "reduction length " + length
                                + " is not a multiple of " + pattern.groupSize()));
                        continue;
                    }
                    pruneGroups(values.get(weight.name()), weight, pattern);
                }
            }
        }
        List<LayerSparsity> table = new ArrayList<>();
        Map<String, TensorProto> replaced = new LinkedHashMap<>();
        long params = 0;
        long zeros = 0;
        for (WeightTensor weight : weights) {
            float[] pruned = values.get(weight.name());
            LayerSparsity row = LayerSparsity.of(weight, pruned);
            table.add(row);
            params += row.params();
            zeros += row.zeros();
            replaced.put(weight.name(), withFloats(graph.initializer(weight.name()).orElseThrow(), pruned));
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("target", target.spec());
        facts.put("weights", params);
        facts.put("zeros", zeros);
        facts.put("sparsity", params == 0 ? 0.0 : (double) zeros / params);
        facts.put("layers", table.stream().map(LayerSparsity::toFact).toList());
        facts.put("skipped", skipped);
        return new PassOutput(replaceInitializers(model, replaced), facts);
    }

    /**
     * Zeros exactly {@code round(sparsity * n)} of the smallest magnitudes across the given arrays (in place); weights
     * equal to the threshold are zeroed in array order until the count is met.
     */
    static void pruneSmallest(List<float[]> arrays, double sparsity) {
        long total = arrays.stream().mapToLong(a -> a.length).sum();
        long toPrune = Math.round(sparsity * total);
        if (toPrune == 0) {
            return;
        }
        float[] magnitudes = new float[Math.toIntExact(total)];
        int at = 0;
        for (float[] array : arrays) {
            for (float value : array) {
                magnitudes[at++] = Math.abs(value);
            }
        }
        Arrays.sort(magnitudes);
        float threshold = magnitudes[Math.toIntExact(toPrune - 1)];
        long below = 0;
        for (float[] array : arrays) {
            for (float value : array) {
                if (Math.abs(value) < threshold) {
                    below++;
                }
            }
        }
        long tiesToPrune = toPrune - below;
        for (float[] array : arrays) {
            for (int i = 0; i < array.length; i++) {
                float magnitude = Math.abs(array[i]);
                if (magnitude < threshold) {
                    array[i] = 0f;
                } else if (magnitude == threshold && tiesToPrune > 0) {
                    array[i] = 0f;
                    tiesToPrune--;
                }
            }
        }
    }

    /** Keeps the {@code kept} largest magnitudes of each group of {@code groupSize} along the reduction axis. */
    static void pruneGroups(float[] values, WeightTensor weight, PruningTarget.NOfM pattern) {
        long[] dims = weight.dims();
        int axis = weight.reductionAxis();
        int length = Math.toIntExact(weight.reductionLength());
        long stride = 1;
        for (int d = axis + 1; d < dims.length; d++) {
            stride *= dims[d];
        }
        long outer = values.length / ((long) length * stride);
        int m = pattern.groupSize();
        int[] group = new int[m];
        boolean[] zeroed = new boolean[m];
        for (long o = 0; o < outer; o++) {
            for (long s = 0; s < stride; s++) {
                for (int start = 0; start < length; start += m) {
                    for (int j = 0; j < m; j++) {
                        group[j] = Math.toIntExact((o * length + start + j) * stride + s);
                    }
                    zeroSmallestInGroup(values, group, m - pattern.kept(), zeroed);
                }
            }
        }
    }

    /**
     * Zeros the {@code count} smallest magnitudes among {@code values[group[*]]}; earlier positions win ties.
     * {@code zeroed} is scratch space of the group's length, reused so the loop allocates nothing.
     */
    private static void zeroSmallestInGroup(float[] values, int[] group, int count, boolean[] zeroed) {
        Arrays.fill(zeroed, false);
        for (int c = 0; c < count; c++) {
            int smallest = -1;
            for (int j = 0; j < group.length; j++) {
                if (!zeroed[j] && (smallest < 0 || Math.abs(values[group[j]]) < Math.abs(values[group[smallest]]))) {
                    smallest = j;
                }
            }
            zeroed[smallest] = true;
            values[group[smallest]] = 0f;
        }
    }

    /** The tensor with new float32 values as raw data, every other field (name, dims, doc) kept. */
    static TensorProto withFloats(TensorProto tensor, float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return tensor.toBuilder().clearFloatData().setRawData(ByteString.copyFrom(buffer.array())).build();
    }

    /** A copy of the model with the named initializers replaced in place (same order). */
    static ModelProto replaceInitializers(ModelProto model, Map<String, TensorProto> replacements) {
        GraphProto.Builder graph = model.getGraph().toBuilder();
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            TensorProto replacement = replacements.get(graph.getInitializer(i).getName());
            if (replacement != null) {
                graph.setInitializer(i, replacement);
            }
        }
        return model.toBuilder().setGraph(graph).build();
    }
}
