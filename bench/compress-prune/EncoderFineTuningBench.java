import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.compress.Fidelity;
import dev.verdant.compress.PassContext;
import dev.verdant.compress.PassContext.CalibrationSample;
import dev.verdant.compress.PassOutput;
import dev.verdant.compress.structured.TransformerStructuredPruningPass;
import dev.verdant.onnx.BuiltinModel;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.runtime.OrtRunner;
import dev.verdant.runtime.SessionSpec;
import java.util.List;
import java.util.Locale;

/**
 * all-MiniLM-L6-v2 pruned with prune-structured encoder settings, each with the step's facts (the fine-tuning's loss,
 * energy and fidelity on its own held-out batches) and the min / mean cosine of mean-pooled embeddings to the
 * original on held-out WordNet glosses that follow the calibration ones. Latency is not measured here: fine-tuning
 * changes no shape, so a fine-tuned model runs as fast as the same pruning without it (bench/compress-prune).
 *
 * <p>Arguments: threads, calibration sentences, check sentences, then prune-structured arguments.
 */
public final class EncoderFineTuningBench {
    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        int calibrationCount = Integer.parseInt(args[1]);
        int checkCount = Integer.parseInt(args[2]);
        ModelProto original = OnnxModels.read(BuiltinModel.MINILM.modelFile());
        GlossBatches text = GlossBatches.of(original, calibrationCount, checkCount);
        List<CalibrationSample> calibration = text.calibration();
        List<CalibrationSample> check = text.check();
        for (int a = 3; a < args.length; a++) {
            long started = System.nanoTime();
            PassOutput output = TransformerStructuredPruningPass.parse(args[a], threads)
                    .apply(original, new PassContext(calibration, 0));
            double seconds = (System.nanoTime() - started) / 1e9;
            Fidelity.Meter meter = new Fidelity.Meter();
            try (OrtRunner before = OrtRunner.open(original, SessionSpec.threads(threads));
                    OrtRunner after = OrtRunner.open(output.model(), SessionSpec.threads(threads))) {
                for (CalibrationSample batch : check) {
                    meter.add(before.run(batch.inputs()), after.run(batch.inputs()), batch);
                }
            }
            Fidelity fidelity = meter.result();
            System.out.printf(Locale.ROOT, "| %s | %.4f | %.4f | %.0f s |%n", args[a], fidelity.minCosine(),
                    fidelity.meanCosine(), seconds);
            Object finetune = output.facts().get("finetune");
            System.out.println("    facts: calibrationBatches=" + output.facts().get("calibrationBatches")
                    + (finetune == null ? "" : " finetune=" + finetune));
        }
    }
}
