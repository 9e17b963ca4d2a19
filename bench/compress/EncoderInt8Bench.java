import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.bench.SideBySide;
import dev.verdant.compress.EncoderInputs;
import dev.verdant.compress.Fidelity;
import dev.verdant.compress.PassContext;
import dev.verdant.compress.PassContext.CalibrationSample;
import dev.verdant.compress.fuse.PaddingRemoval;
import dev.verdant.compress.fuse.TransformerFusionPass;
import dev.verdant.compress.quantize.DynamicQuantizationPass;
import dev.verdant.data.BatchPadding;
import dev.verdant.data.Datasets;
import dev.verdant.onnx.BuiltinModel;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.runtime.ModelInputs;
import dev.verdant.runtime.OrtRunner;
import dev.verdant.runtime.SessionSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A BERT-family encoder six ways in one JVM, side by side: fp32 as exported, its published int8 build, Verdant's
 * fused fp32, Verdant's int8-dynamic, and the last two with padding removed ({@code fuse,unpad} and
 * {@code int8-dynamic,unpad}); the built-in {@code minilm} (all-MiniLM-L6-v2) by default, or {@code e5-small}
 * (e5-small-v2). Everything is measured twice in the same run, on the same sentences: batches padded to 128 tokens
 * ({@code max}) and batches padded to their longest text ({@code longest}, as users' batches are). Latency: ONNX
 * Runtime, the same threads, batches of 16 real WordNet glosses, warmed up, the models taking turns run by run,
 * median per batch; with several timed batches, the speedup is the ratio of the summed medians. Fidelity: min and
 * mean cosine of the mean-pooled embeddings to fp32 over sentences disjoint from the 64 used to calibrate (calibrated
 * on batches padded to 128 tokens, as the recorded runs were); the largest absolute difference of the hidden states
 * at real (mask 1) positions, and over every output element (unpad returns 0 at padded positions, so that one is
 * large by design).
 *
 * <p>Arguments: [threads=2] [rounds=20] [sentences=512] [timed batches=1] [model=minilm].
 */
public final class EncoderInt8Bench {

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int sentences = args.length > 2 ? Integer.parseInt(args[2]) : 512;
        int timedBatches = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        String name = args.length > 4 ? args[4] : "minilm";
        Map<String, List<BuiltinModel>> pairs = Map.of("minilm", List.of(BuiltinModel.MINILM,
                BuiltinModel.MINILM_INT8), "e5-small", List.of(BuiltinModel.E5_SMALL, BuiltinModel.E5_SMALL_INT8));
        if (!pairs.containsKey(name)) {
            throw new IllegalArgumentException("the model is minilm or e5-small, not " + name);
        }
        BuiltinModel builtin = pairs.get(name).get(0);
        ModelProto fp32 = OnnxModels.read(builtin.modelFile());
        ModelProto published = OnnxModels.read(pairs.get(name).get(1).modelFile());
        List<String> glosses = Datasets.resolveTexts(Datasets.WORDNET_NOUNS).loadAll().texts();
        List<CalibrationSample> calibration = EncoderInputs.batches(fp32, builtin.tokenizerFile(),
                glosses.subList(0, 64), 16, 128);
        ModelProto fused = new TransformerFusionPass().apply(fp32, PassContext.withoutData(0)).model();
        ModelProto int8 = new DynamicQuantizationPass().apply(fp32, new PassContext(calibration, 0)).model();
        ModelProto fusedUnpadded = new PaddingRemoval().apply(fused, PassContext.withoutData(0)).model();
        ModelProto int8Unpadded = new PaddingRemoval().apply(int8, PassContext.withoutData(0)).model();

        List<String> names = List.of("fp32 (as exported)", "published int8", "Verdant fuse (fp32)",
                "Verdant int8-dynamic", "Verdant fuse,unpad (fp32)", "Verdant int8-dynamic,unpad");
        List<ModelProto> models = List.of(fp32, published, fused, int8, fusedUnpadded, int8Unpadded);
        List<OrtRunner> sessions = new ArrayList<>();
        Map<BatchPadding, double[]> speedups = new LinkedHashMap<>();
        try {
            models.forEach(m -> sessions.add(OrtRunner.open(m, SessionSpec.threads(threads))));
            for (BatchPadding padding : List.of(BatchPadding.MAX, BatchPadding.LONGEST)) {
                List<CalibrationSample> check = EncoderInputs.batches(fp32, builtin.tokenizerFile(),
                        glosses.subList(64, 64 + sentences), 16, 128, padding);
                speedups.put(padding, measure(names, models, sessions, check, padding, threads, rounds,
                        sentences, timedBatches));
            }
        } finally {
            sessions.forEach(OrtRunner::close);
        }
        System.out.printf(Locale.ROOT, "%n%s, speedup vs fp32 in this run | padded to 128 tokens | padded to their "
                + "longest text |%n|---|---:|---:|%n", builtin.modelName());
        for (int i = 0; i < names.size(); i++) {
            System.out.printf(Locale.ROOT, "| %s | %.2fx | %.2fx |%n", names.get(i),
                    speedups.get(BatchPadding.MAX)[i], speedups.get(BatchPadding.LONGEST)[i]);
        }
        Optional.ofNullable(System.getenv("LOADAVG")).ifPresent(l -> System.out.println("load " + l + " at the "
                + "start, " + readLoad() + " at the end"));
    }

    /** Fidelity and latency of every model on {@code check}; prints the table and returns the speedups. */
    private static double[] measure(List<String> names, List<ModelProto> models, List<OrtRunner> sessions,
            List<CalibrationSample> check, BatchPadding padding, int threads, int rounds, int sentences,
            int timedBatches) {
        Fidelity.Meter[] meters = new Fidelity.Meter[models.size()];
        Arrays.setAll(meters, i -> new Fidelity.Meter());
        long realTokens = 0;
        long positions = 0;
        for (CalibrationSample batch : check) {
            Map<String, OrtRunner.Output> reference = sessions.get(0).run(batch.inputs());
            long[] mask = batch.inputs().get(ModelInputs.ATTENTION_MASK).longs();
            realTokens += Arrays.stream(mask).filter(m -> m != 0).count();
            positions += mask.length;
            for (int i = 0; i < sessions.size(); i++) {
                Map<String, OrtRunner.Output> outputs = sessions.get(i).run(batch.inputs());
                meters[i].add(reference, outputs, batch);
            }
        }
        double[] millis = new double[sessions.size()];
        StringBuilder batches = new StringBuilder();
        int timed = Math.min(timedBatches, check.size());
        for (int b = 0; b < timed; b++) {
            CalibrationSample batch = check.get(b);
            double[] medians = SideBySide.medianMillis(sessions.stream()
                    .<SideBySide.Workload>map(session -> run -> session.run(batch.inputs())).toList(), 5, rounds);
            for (int i = 0; i < millis.length; i++) {
                millis[i] += medians[i] / timed;
            }
            long[] mask = check.get(b).inputs().get(ModelInputs.ATTENTION_MASK).longs();
            batches.append(String.format(Locale.ROOT, " %d/%d", Arrays.stream(mask).filter(m -> m != 0).count(),
                    mask.length));
        }
        System.out.printf(Locale.ROOT, "%nthreads %d, batches of 16 %s, %d rounds alternating, %d check sentences "
                + "(%.1f%% of their positions are real tokens); timed batches, real tokens/positions:%s%n",
                threads, padding.describe(128), rounds, sentences, 100.0 * realTokens / positions, batches);
        System.out.printf(Locale.ROOT, "| model | bytes | median ms/batch | speedup vs fp32 | min cosine | "
                + "mean cosine | max abs diff, real tokens | max abs diff, all outputs |%n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|%n");
        double[] speedups = new double[names.size()];
        for (int i = 0; i < names.size(); i++) {
            Fidelity f = meters[i].result();
            speedups[i] = millis[0] / millis[i];
            System.out.printf(Locale.ROOT, "| %s | %,d | %.1f | %.2fx | %.5f | %.5f | %.3g | %.3g |%n",
                    names.get(i), models.get(i).getSerializedSize(), millis[i], speedups[i],
                    f.minCosine(), f.meanCosine(), f.maxAbsDiffRealTokens(), f.maxAbsDiff());
        }
        return speedups;
    }

    private static String readLoad() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip().substring(0, 14);
        } catch (IOException e) {
            return "unknown";
        }
    }
}
