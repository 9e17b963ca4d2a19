package dev.verdant.compress.quantize;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.verdant.compress.GraphEdit;
import dev.verdant.compress.PassContext.CalibrationSample;
import dev.verdant.onnx.DataType;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.Tensors;
import dev.verdant.runtime.OrtRunner;
import dev.verdant.runtime.OrtRunner.Output;
import dev.verdant.runtime.SessionSpec;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Per-channel smoothing of activation outliers before dynamic quantization (after SmoothQuant, Xiao et al. 2023):
 * transformer activations put most of their range in one or two channels (a LayerNorm output channel near 28 where
 * the rest stay under 8), so one per-tensor uint8 scale wastes most of its levels on them. Those channels are
 * divided by {@code s} on the way in ({@code Mul}) and the matching weight rows multiplied by {@code s}, which
 * leaves the product unchanged in exact arithmetic and the quantized activation with a range the bulk can use.
 * Channels are found on calibration data: those whose largest magnitude exceeds {@link #OUTLIER_RATIO} times the
 * median channel's are scaled down to that bound.
 */
final class OutlierSmoothing {

    /**
     * A channel counts as an outlier above this multiple of the median channel's largest magnitude. 4 rather than 6:
     * on glosses none of the choice was made on, e5-small-v2's min cosine went 0.99530 to 0.99637 and 0.99407 to
     * 0.99710 (two draws of 1,024), MiniLM's 0.99251 to 0.99226 and 0.98422 to 0.98874 (BENCHMARKS.md, issue 25).
     */
    static final float OUTLIER_RATIO = 4f;

    private final Map<String, float[]> divisors;
    private final Map<String, String> smoothed = new HashMap<>();

    private OutlierSmoothing(Map<String, float[]> divisors) {
        this.divisors = divisors;
    }

    /** No smoothing (no calibration data). */
    static OutlierSmoothing none() {
        return new OutlierSmoothing(Map.of());
    }

    /**
     * Measures the per-channel (last axis) magnitude of each tensor on the calibration batches and keeps a divisor
     * vector for those with outlier channels, running the model as {@code spec} says.
     */
    static OutlierSmoothing calibrate(ModelProto model, Collection<String> tensors, List<CalibrationSample> samples,
            SessionSpec spec) {
        if (samples.isEmpty() || tensors.isEmpty()) {
            return none();
        }
        var graph = model.getGraph().toBuilder();
        LinkedHashSet<String> observed = new LinkedHashSet<>(tensors);
        graph.getOutputList().forEach(o -> observed.remove(o.getName()));
        for (String tensor : observed) {
            graph.addOutput(ValueInfoProto.newBuilder().setName(tensor).setType(TypeProto.newBuilder()
                    .setTensorType(TypeProto.Tensor.newBuilder().setElemType(DataType.FLOAT.code()))));
        }
        Map<String, float[]> absMax = new LinkedHashMap<>();
        try (OrtRunner session = OrtRunner.open(model.toBuilder().setGraph(graph).build(), spec)) {
            for (CalibrationSample sample : samples) {
                Map<String, Output> outputs = session.run(sample.inputs());
                for (String tensor : tensors) {
                    Output output = outputs.get(tensor);
                    if (output == null || output.shape().length < 2) {
                        continue;
                    }
                    int channels = Math.toIntExact(output.shape()[output.shape().length - 1]);
                    float[] max = absMax.computeIfAbsent(tensor, k -> new float[channels]);
                    float[] values = output.values();
                    for (int i = 0; i < values.length; i++) {
                        max[i % channels] = Math.max(max[i % channels], Math.abs(values[i]));
                    }
                }
            }
        }
        Map<String, float[]> divisors = new LinkedHashMap<>();
        absMax.forEach((tensor, max) -> {
            float[] sorted = max.clone();
            Arrays.sort(sorted);
            float bound = OUTLIER_RATIO * sorted[sorted.length / 2];
            if (bound > 0 && sorted[sorted.length - 1] > bound) {
                float[] divisor = new float[max.length];
                for (int c = 0; c < max.length; c++) {
                    divisor[c] = max[c] > bound ? max[c] / bound : 1f;
                }
                divisors.put(tensor, divisor);
            }
        });
        return new OutlierSmoothing(divisors);
    }

    /** How many activation tensors get smoothed. */
    int count() {
        return divisors.size();
    }

    /** The per-channel divisors of a tensor, or null when it needs none. */
    float[] divisors(String tensor) {
        return divisors.get(tensor);
    }

    /**
     * The smoothed version of {@code tensor} (one {@code Mul} by the reciprocals, shared by every reader), or the
     * tensor itself when it needs none.
     */
    String input(GraphEdit graph, String tensor) {
        float[] divisor = divisors.get(tensor);
        if (divisor == null) {
            return tensor;
        }
        return smoothed.computeIfAbsent(tensor, t -> {
            float[] reciprocal = new float[divisor.length];
            for (int c = 0; c < divisor.length; c++) {
                reciprocal[c] = 1f / divisor[c];
            }
            String factors = graph.uniqueName(t + "_smoothing");
            graph.putInitializer(Tensors.ofFloats(factors, new long[] {divisor.length}, reciprocal));
            String output = graph.uniqueName(t + "_smoothed");
            graph.addNode(graph.node("Mul", OnnxGraph.DEFAULT_DOMAIN, List.of(t, factors), List.of(output)));
            return output;
        });
    }

    /**
     * Smooths one product {@code input · weight}: scales the weight's rows (in place) by the input's divisors and
     * returns the smoothed input; with no divisors for {@code input} both stay as they are.
     */
    String apply(GraphEdit graph, String input, float[] weight, int rows, int columns) {
        float[] divisor = divisors.get(input);
        if (divisor == null || divisor.length != rows) {
            return input;
        }
        scaleRows(weight, rows, columns, divisor);
        return input(graph, input);
    }

    /** Multiplies row {@code r} of a {@code rows x columns} row-major weight by the divisor of input channel r. */
    static void scaleRows(float[] weight, int rows, int columns, float[] divisor) {
        for (int r = 0; r < rows; r++) {
            if (divisor[r] != 1f) {
                for (int c = 0; c < columns; c++) {
                    weight[r * columns + c] *= divisor[r];
                }
            }
        }
    }
}
