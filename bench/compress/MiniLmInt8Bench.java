import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.compress.EncoderInputs;
import dev.verdant.compress.Fidelity;
import dev.verdant.compress.LatencyComparison;
import dev.verdant.compress.PassContext;
import dev.verdant.compress.PassContext.CalibrationSample;
import dev.verdant.compress.fuse.PaddingRemoval;
import dev.verdant.compress.fuse.TransformerFusionPass;
import dev.verdant.compress.quantize.DynamicQuantizationPass;
import dev.verdant.data.Datasets;
import dev.verdant.onnx.BuiltinModel;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.runtime.ModelInputs;
import dev.verdant.runtime.OrtRunner;
import dev.verdant.runtime.SessionSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * all-MiniLM-L6-v2 six ways in one JVM, side by side: fp32 as exported, the published int8 build, Verdant's fused
 * fp32, Verdant's int8-dynamic, and the last two with padding removed ({@code fuse,unpad} and
 * {@code int8-dynamic,unpad}). Latency: ONNX Runtime, the same threads, batches of 16 real WordNet glosses padded to
 * 128 tokens, warmed up, the models taking turns run by run, median per batch; with several timed batches, the
 * speedup is the ratio of the summed medians. Fidelity: min and mean cosine of the mean-pooled embeddings to fp32
 * over sentences disjoint from the 64 used to calibrate; the largest absolute difference of the hidden states at
 * real (mask 1) positions, and over every output element (unpad returns 0 at padded positions, so that one is large
 * by design).
 *
 * <p>Arguments: [threads=2] [rounds=20] [sentences=512] [timed batches=1].
 */
public final class MiniLmInt8Bench {

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int sentences = args.length > 2 ? Integer.parseInt(args[2]) : 512;
        int timedBatches = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        ModelProto fp32 = OnnxModels.read(BuiltinModel.MINILM.modelFile());
        ModelProto published = OnnxModels.read(BuiltinModel.MINILM_INT8.modelFile());
        List<String> glosses = Datasets.resolveTexts(Datasets.WORDNET_NOUNS).loadAll().texts();
        List<CalibrationSample> calibration = EncoderInputs.batches(fp32, BuiltinModel.MINILM.tokenizerFile(),
                glosses.subList(0, 64), 16, 128);
        List<CalibrationSample> check = EncoderInputs.batches(fp32, BuiltinModel.MINILM.tokenizerFile(),
                glosses.subList(64, 64 + sentences), 16, 128);
        ModelProto fused = new TransformerFusionPass().apply(fp32, PassContext.withoutData(0)).model();
        ModelProto int8 = new DynamicQuantizationPass().apply(fp32, new PassContext(calibration, 0)).model();
        ModelProto fusedUnpadded = new PaddingRemoval().apply(fused, PassContext.withoutData(0)).model();
        ModelProto int8Unpadded = new PaddingRemoval().apply(int8, PassContext.withoutData(0)).model();

        List<String> names = List.of("fp32 (as exported)", "published int8 (-q)", "Verdant fuse (fp32)",
                "Verdant int8-dynamic", "Verdant fuse,unpad (fp32)", "Verdant int8-dynamic,unpad");
        List<ModelProto> models = List.of(fp32, published, fused, int8, fusedUnpadded, int8Unpadded);
        List<OrtRunner> sessions = new ArrayList<>();
        try {
            models.forEach(m -> sessions.add(OrtRunner.open(m, SessionSpec.threads(threads))));
            Fidelity.Meter[] meters = new Fidelity.Meter[models.size()];
            Arrays.setAll(meters, i -> new Fidelity.Meter());
            int realTokens = 0;
            for (CalibrationSample batch : check) {
                Map<String, OrtRunner.Output> reference = sessions.get(0).run(batch.inputs());
                long[] mask = batch.inputs().get(ModelInputs.ATTENTION_MASK).longs();
                realTokens += (int) Arrays.stream(mask).filter(m -> m != 0).count();
                for (int i = 0; i < sessions.size(); i++) {
                    Map<String, OrtRunner.Output> outputs = sessions.get(i).run(batch.inputs());
                    meters[i].add(reference, outputs, batch);
                }
            }
            double[] millis = new double[sessions.size()];
            StringBuilder batches = new StringBuilder();
            for (int b = 0; b < Math.min(timedBatches, check.size()); b++) {
                double[] medians = LatencyComparison.medianMillis(sessions, check.get(b), 5, rounds);
                for (int i = 0; i < millis.length; i++) {
                    millis[i] += medians[i] / Math.min(timedBatches, check.size());
                }
                long[] mask = check.get(b).inputs().get(ModelInputs.ATTENTION_MASK).longs();
                batches.append(String.format(Locale.ROOT, " %d/%d", Arrays.stream(mask).filter(m -> m != 0).count(),
                        mask.length));
            }
            System.out.printf(Locale.ROOT, "threads %d, batch 16x128, %d rounds alternating, %d check sentences "
                    + "(%.1f%% of their positions are real tokens); timed batches, real tokens/positions:%s%n",
                    threads, rounds, sentences, 100.0 * realTokens / (check.size() * 16 * 128.0), batches);
            System.out.printf(Locale.ROOT, "| model | bytes | median ms/batch | speedup vs fp32 | min cosine | "
                    + "mean cosine | max abs diff, real tokens | max abs diff, all outputs |%n"
                    + "|---|---:|---:|---:|---:|---:|---:|---:|%n");
            for (int i = 0; i < names.size(); i++) {
                Fidelity f = meters[i].result();
                System.out.printf(Locale.ROOT, "| %s | %,d | %.1f | %.2fx | %.5f | %.5f | %.3g | %.3g |%n",
                        names.get(i), models.get(i).getSerializedSize(), millis[i], millis[0] / millis[i],
                        f.minCosine(), f.meanCosine(), f.maxAbsDiffRealTokens(), f.maxAbsDiff());
            }
        } finally {
            sessions.forEach(OrtRunner::close);
        }
        Optional.ofNullable(System.getenv("LOADAVG")).ifPresent(l -> System.out.println("load " + l));
    }
}
