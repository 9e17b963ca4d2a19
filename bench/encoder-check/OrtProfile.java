import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.*;
import java.nio.LongBuffer;
import java.nio.file.*;
import java.util.*;

/**
 * ONNX Runtime's own profiler on encoders: each model in turn (not side by side: load drift enters) runs RUNS passes
 * over 8 batches of 16 WordNet glosses (from line 20,000 of Debian's data.noun) padded to their longest text, with
 * {@code enableProfiling}; the JSON traces it prints the paths of are summed per op type by
 * {@code profile-by-op.py}. Intra-op threads from {@code -Dt=N} (default 2); {@code -Dspin=0} turns thread spinning
 * off. Arguments: TOKENIZER.json RUNS MODEL.onnx [MODEL.onnx ...]. Uses ONNX Runtime and DJL's tokenizer only.
 */
public class OrtProfile {
    public static void main(String[] args) throws Exception {
        Path tok = Path.of(args[0]);
        int runs = Integer.parseInt(args[1]);
        List<String> lines = Files.readAllLines(Path.of("/usr/share/wordnet/data.noun"));
        List<String> gl = new ArrayList<>();
        for (int i = 20000; gl.size() < 128; i++) { String l = lines.get(i); int b = l.indexOf(" | "); if (!l.startsWith(" ") && b > 0) gl.add(l.substring(b + 3).strip()); }
        List<Map<String, long[][]>> batches = new ArrayList<>();
        try (HuggingFaceTokenizer t = HuggingFaceTokenizer.builder().optTokenizerPath(tok).optTruncation(true).optMaxLength(128).optPadding(true).build()) {
            for (int f = 0; f < gl.size(); f += 16) {
                Encoding[] e = t.batchEncode(gl.subList(f, f + 16));
                long[][] a = new long[16][], m = new long[16][], ty = new long[16][];
                for (int i = 0; i < 16; i++) { a[i] = e[i].getIds(); m[i] = e[i].getAttentionMask(); ty[i] = e[i].getTypeIds(); }
                batches.add(Map.of("input_ids", a, "attention_mask", m, "token_type_ids", ty));
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        for (int k = 2; k < args.length; k++) {
            OrtSession.SessionOptions so = new OrtSession.SessionOptions();
            so.setIntraOpNumThreads(Integer.getInteger("t", 2)); if (System.getProperty("spin") != null) so.addConfigEntry("session.intra_op.allow_spinning", System.getProperty("spin"));
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            String prefix = System.getProperty("java.io.tmpdir") + "/ort-profile-" + k;
            so.enableProfiling(prefix);
            if (System.getProperty("opt") != null) so.setOptimizedModelFilePath(System.getProperty("java.io.tmpdir") + "/ort-optimized-" + k + ".onnx");
            try (OrtSession s = env.createSession(args[k], so)) {
                for (int r = 0; r < runs; r++) for (var b : batches) run(s, env, b).close();
                String file = s.endProfiling();
                System.out.println(args[k] + " -> " + file);
            }
        }
    }
    static OrtSession.Result run(OrtSession s, OrtEnvironment env, Map<String, long[][]> b) throws OrtException {
        Map<String, OnnxTensor> in = new HashMap<>();
        for (String n : s.getInputNames()) { long[][] r = b.get(n); in.put(n, OnnxTensor.createTensor(env, LongBuffer.wrap(Arrays.stream(r).flatMapToLong(Arrays::stream).toArray()), new long[]{r.length, r[0].length})); }
        try { return s.run(in); } finally { in.values().forEach(OnnxTensor::close); }
    }
}
