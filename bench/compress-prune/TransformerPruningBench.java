import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.bench.SideBySide;
import dev.verdant.compress.Fidelity;
import dev.verdant.compress.PassContext;
import dev.verdant.compress.PassContext.CalibrationSample;
import dev.verdant.compress.quantize.DynamicQuantizationPass;
import dev.verdant.compress.structured.TransformerStructuredPruningPass;
import dev.verdant.onnx.BuiltinModel;
import dev.verdant.onnx.OnnxModels;
import dev.verdant.runtime.OrtRunner;
import dev.verdant.runtime.SessionSpec;
import dev.verdant.runtime.inspect.ModelInspector;
import dev.verdant.runtime.inspect.ModelSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * all-MiniLM-L6-v2 with attention heads and FFN channels removed by {@code prune-structured} (encoder settings), each
 * with and without the least-squares reconstruction, side by side in one JVM: file size, params, MACs at 16x128,
 * ONNX Runtime latency (16 real WordNet glosses padded to 128 tokens, models taking turns, median), and fidelity
 * (min/mean cosine of mean-pooled embeddings to the original) on held-out glosses disjoint from the calibration ones.
 *
 * <p>Arguments: threads, rounds, calibration sentences, check sentences, then recipe arguments of
 * {@code prune-structured:...} (e.g. {@code ffn=0.25,reconstruct=no}); a trailing {@code +int8} also runs
 * {@code int8-dynamic} on that result.
 */
public class TransformerPruningBench {
    public static void main(String[] args) {
        int threads = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        int calibrationCount = Integer.parseInt(args[2]);
        int checkCount = Integer.parseInt(args[3]);
        ModelProto original = OnnxModels.read(BuiltinModel.MINILM.modelFile());
        GlossBatches text = GlossBatches.of(original, calibrationCount, checkCount);
        List<CalibrationSample> calibration = text.calibration();
        List<CalibrationSample> check = text.check();
        PassContext context = new PassContext(calibration, 0);
        Map<String, ModelProto> models = new LinkedHashMap<>();
        Map<String, Double> seconds = new LinkedHashMap<>();
        models.put("original (fp32)", original);
        for (int i = 4; i < args.length; i++) {
            boolean int8 = args[i].endsWith("+int8");
            String argument = int8 ? args[i].substring(0, args[i].length() - 5) : args[i];
            long start = System.nanoTime();
            ModelProto pruned = TransformerStructuredPruningPass.parse(argument, threads).apply(original, context)
                    .model();
            seconds.put(argument, (System.nanoTime() - start) / 1e9);
            models.put(argument, pruned);
            if (int8) {
                models.put(argument + " +int8-dynamic", new DynamicQuantizationPass().apply(pruned, context).model());
            }
            System.err.printf(Locale.ROOT, "pruned %s in %.0f s%n", argument, seconds.get(argument));
        }
        Map<String, long[]> shapes = Map.of("input_ids", new long[] {16, 128}, "attention_mask",
                new long[] {16, 128}, "token_type_ids", new long[] {16, 128});
        List<OrtRunner> sessions = new ArrayList<>();
        try {
            for (ModelProto model : models.values()) {
                sessions.add(OrtRunner.open(model, SessionSpec.threads(threads)));
            }
            List<Fidelity> fidelity = new ArrayList<>();
            for (int m = 0; m < sessions.size(); m++) {
                Fidelity.Meter meter = new Fidelity.Meter();
                for (CalibrationSample batch : check) {
                    meter.add(sessions.get(0).run(batch.inputs()), sessions.get(m).run(batch.inputs()), batch);
                }
                fidelity.add(meter.result());
            }
            CalibrationSample timed = check.get(0);
            double[] millis = SideBySide.medianMillis(sessions.stream()
                    .<SideBySide.Workload>map(session -> run -> session.run(timed.inputs())).toList(), 5, rounds);
            System.out.printf(Locale.ROOT, "load average before timing: %s; %d threads, median of %d rounds, "
                    + "calibration %d glosses, check %d held-out glosses%n%n", loadAverage(), threads, rounds,
                    calibrationCount, checkCount);
            System.out.println("| prune-structured: | size | params | MACs (16x128) | latency | speedup | min cos | "
                    + "mean cos | pruning time |");
            System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            int m = 0;
            for (Map.Entry<String, ModelProto> entry : models.entrySet()) {
                ModelSummary summary = ModelInspector.inspect(entry.getKey(), entry.getValue().getSerializedSize(),
                        entry.getValue(), shapes);
                Double time = seconds.get(entry.getKey());
                System.out.printf(Locale.ROOT, "| %s | %.1f MB | %,d | %.2f G | %.1f ms | %.2fx | %.4f | %.4f | %s |%n",
                        entry.getKey(), entry.getValue().getSerializedSize() / 1e6, summary.params()
                                + summary.quantizedParams(), summary.macs() / 1e9, millis[m], millis[0] / millis[m],
                        fidelity.get(m).minCosine(), fidelity.get(m).meanCosine(),
                        time == null ? "" : String.format(Locale.ROOT, "%.0f s", time));
                m++;
            }
        } finally {
            sessions.forEach(OrtRunner::close);
        }
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).strip();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
