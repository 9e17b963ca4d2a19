import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.compress.EncoderInputs;
import dev.verdant.compress.Fidelity;
import dev.verdant.compress.LatencyComparison;
import dev.verdant.compress.OrtModel;
import dev.verdant.compress.PassContext;
import dev.verdant.compress.PassContext.CalibrationSample;
import dev.verdant.compress.fuse.TransformerFusionPass;
import dev.verdant.compress.quantize.DynamicQuantizationPass;
import dev.verdant.data.Datasets;
import dev.verdant.onnx.BuiltinModel;
import dev.verdant.onnx.OnnxModels;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * all-MiniLM-L6-v2 four ways in one JVM, side by side: fp32 as exported, the published int8 build, Verdant's fused
 * fp32 and Verdant's int8-dynamic. Latency: ONNX Runtime, the same threads, batches of 16 real WordNet glosses padded
 * to 128 tokens, warmed up, the models taking turns run by run, median per batch. Fidelity: min and mean cosine of
 * the mean-pooled embeddings to fp32 over sentences disjoint from the 64 used to calibrate.
 *
 * <p>Arguments: [threads=2] [rounds=20] [sentences=512].
 */
public final class MiniLmInt8Bench {

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int sentences = args.length > 2 ? Integer.parseInt(args[2]) : 512;
        ModelProto fp32 = OnnxModels.read(BuiltinModel.MINILM.modelFile());
        ModelProto published = OnnxModels.read(BuiltinModel.MINILM_INT8.modelFile());
        List<String> glosses = Datasets.resolveTexts(Datasets.WORDNET_NOUNS).loadAll().texts();
        List<CalibrationSample> calibration = EncoderInputs.batches(fp32, BuiltinModel.MINILM.tokenizerFile(),
                glosses.subList(0, 64), 16, 128);
        List<CalibrationSample> check = EncoderInputs.batches(fp32, BuiltinModel.MINILM.tokenizerFile(),
                glosses.subList(64, 64 + sentences), 16, 128);
        ModelProto fused = new TransformerFusionPass().apply(fp32, PassContext.withoutData(0)).model();
        ModelProto int8 = new DynamicQuantizationPass().apply(fp32, new PassContext(calibration, 0)).model();

        List<String> names = List.of("fp32 (as exported)", "published int8 (-q)", "Verdant fuse (fp32)",
                "Verdant int8-dynamic");
        List<ModelProto> models = List.of(fp32, published, fused, int8);
        try (OrtModel a = new OrtModel(fp32, threads); OrtModel b = new OrtModel(published, threads);
                OrtModel c = new OrtModel(fused, threads); OrtModel d = new OrtModel(int8, threads)) {
            List<OrtModel> sessions = List.of(a, b, c, d);
            Fidelity.Meter[] meters = {new Fidelity.Meter(), new Fidelity.Meter(), new Fidelity.Meter(),
                new Fidelity.Meter()};
            for (CalibrationSample batch : check) {
                Map<String, OrtModel.Output> reference = a.run(batch);
                for (int i = 0; i < sessions.size(); i++) {
                    meters[i].add(reference, sessions.get(i).run(batch), batch);
                }
            }
            double[] millis = LatencyComparison.medianMillis(sessions, check.get(0), 5, rounds);
            System.out.printf(Locale.ROOT, "threads %d, batch 16x128, %d rounds alternating, %d check sentences%n",
                    threads, rounds, sentences);
            System.out.printf(Locale.ROOT, "| model | bytes | median ms/batch | speedup vs fp32 | min cosine | "
                    + "mean cosine | max abs diff |%n|---|---:|---:|---:|---:|---:|---:|%n");
            for (int i = 0; i < names.size(); i++) {
                Fidelity f = meters[i].result();
                System.out.printf(Locale.ROOT, "| %s | %,d | %.1f | %.2fx | %.5f | %.5f | %.3g |%n", names.get(i),
                        models.get(i).getSerializedSize(), millis[i], millis[0] / millis[i], f.minCosine(),
                        f.meanCosine(), f.maxAbsDiff());
            }
        }
        Optional.ofNullable(System.getenv("LOADAVG")).ifPresent(l -> System.out.println("load " + l));
    }
}
