package dev.verdant.compress.quantize;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.verdant.compress.CompressionPass;
import dev.verdant.compress.Fidelity;
import dev.verdant.compress.PassContext;
import dev.verdant.compress.PassContext.CalibrationSample;
import dev.verdant.report.Compression.LayerSensitivity;
import dev.verdant.runtime.OrtRunner.Output;
import dev.verdant.runtime.OrtRunner;
import dev.verdant.runtime.SessionSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The per-layer sensitivity report: the error each quantizable node adds when it alone is quantized and everything
 * else stays float, measured in ONNX Runtime against the float model on real inputs. The most sensitive nodes are
 * the ones to keep in float ({@code --keep-float}).
 */
public final class SensitivityAnalysis {

    private SensitivityAnalysis() {
    }

    /**
     * Runs the analysis, most sensitive first.
     *
     * @param passFactory builds the quantization pass for a given keep-float predicate
     * @param candidates  the nodes the pass would quantize (names and op types), as reported by a run that kept all
     */
    public static List<LayerSensitivity> analyze(ModelProto model, Function<Predicate<NodeProto>,
            CompressionPass> passFactory, List<Map.Entry<String, String>> candidates, PassContext context,
            List<CalibrationSample> batches, int threads) {
        List<LayerSensitivity> results = new ArrayList<>();
        try (OrtRunner reference = OrtRunner.open(model, SessionSpec.threads(threads))) {
            List<Map<String, Output>> expected = batches.stream().map(b -> reference.run(b.inputs())).toList();
            for (Map.Entry<String, String> candidate : candidates) {
                CompressionPass pass = passFactory.apply(n -> !n.getName().equals(candidate.getKey()));
                ModelProto quantized = pass.apply(model, context).model();
                Fidelity.Meter meter = new Fidelity.Meter();
                try (OrtRunner session = OrtRunner.open(quantized, SessionSpec.threads(threads))) {
                    for (int i = 0; i < batches.size(); i++) {
                        meter.add(expected.get(i), session.run(batches.get(i).inputs()), batches.get(i));
                    }
                }
                Fidelity fidelity = meter.result();
                results.add(new LayerSensitivity(candidate.getKey(), candidate.getValue(), fidelity.minCosine(),
                        fidelity.meanCosine(), fidelity.maxAbsDiff()));
            }
        }
        results.sort(Comparator.comparingDouble(LayerSensitivity::minCosine));
        return results;
    }
}
