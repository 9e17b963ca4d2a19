import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An independent check of compressed BERT-family encoders, written against ONNX Runtime's Java API and DJL's
 * HuggingFace tokenizer directly: no Verdant class is used (not its tokenizer wrapper, feeds, runner, timing or
 * fidelity code), so a mistake there cannot hide here. Its pooling and cosine are written out again on purpose, for
 * the same reason.
 *
 * <p>Texts: WordNet noun glosses read straight from Debian's {@code /usr/share/wordnet/data.noun} (the part after
 * {@code |}), starting at line offset {@code --skip} (default 20,000: far from the first 320 glosses Verdant
 * calibrates and checks on). Batches of {@code --batch} glosses padded to their longest text ({@code max}: to
 * {@code --max-len}), truncated to {@code --max-len} tokens.
 *
 * <p>Fidelity: per gloss, the cosine of the mean-pooled (attention-mask weighted) first output to the reference's.
 * Speed: every model runs every timed batch once per round, the order of the models reversed every other round
 * (ABBA); per round, each model's summed time over the timed batches; the speedup of a model is the reference's
 * round time over its own in the same round, reported as the median and the range over the rounds.
 *
 * <p>Arguments: {@code REFERENCE.onnx TOKENIZER.json MODEL.onnx [MODEL.onnx ...] [--threads 2] [--batch 16]
 * [--padding longest|max] [--max-len 128] [--sentences 512] [--timed 8] [--rounds 20] [--skip 20000]}.
 */
public final class IndependentCheck {

    public static void main(String[] args) throws Exception {
        List<Path> models = new ArrayList<>();
        Map<String, String> options = new HashMap<>(Map.of("--threads", "2", "--batch", "16", "--padding",
                "longest", "--max-len", "128", "--sentences", "512", "--timed", "8", "--rounds", "20",
                "--skip", "20000"));
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                if (!options.containsKey(args[i]) || i + 1 >= args.length) {
                    throw new IllegalArgumentException("unknown option or missing value: " + args[i]);
                }
                options.put(args[i], args[++i]);
            } else {
                models.add(Path.of(args[i]));
            }
        }
        Path reference = models.remove(0);
        Path tokenizerFile = models.remove(0);
        int threads = Integer.parseInt(options.get("--threads"));
        int batchSize = Integer.parseInt(options.get("--batch"));
        boolean longest = options.get("--padding").equals("longest");
        int maxLength = Integer.parseInt(options.get("--max-len"));
        int sentences = Integer.parseInt(options.get("--sentences"));
        int timed = Integer.parseInt(options.get("--timed"));
        int rounds = Integer.parseInt(options.get("--rounds"));
        int skip = Integer.parseInt(options.get("--skip"));

        List<String> glosses = glosses(skip, sentences);
        List<Map<String, long[][]>> batches = new ArrayList<>();
        long realTokens = 0;
        long positions = 0;
        HuggingFaceTokenizer.Builder builder = HuggingFaceTokenizer.builder().optTokenizerPath(tokenizerFile)
                .optTruncation(true).optMaxLength(maxLength).optPadding(true);
        if (!longest) {
            builder.optPadToMaxLength();
        }
        try (HuggingFaceTokenizer tokenizer = builder.build()) {
            for (int from = 0; from < glosses.size(); from += batchSize) {
                Encoding[] encodings = tokenizer.batchEncode(glosses.subList(from,
                        Math.min(glosses.size(), from + batchSize)));
                long[][] ids = new long[encodings.length][];
                long[][] mask = new long[encodings.length][];
                long[][] types = new long[encodings.length][];
                for (int i = 0; i < encodings.length; i++) {
                    ids[i] = encodings[i].getIds();
                    mask[i] = encodings[i].getAttentionMask();
                    types[i] = encodings[i].getTypeIds();
                    realTokens += Arrays.stream(mask[i]).sum();
                    positions += mask[i].length;
                }
                batches.add(Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types));
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        List<Path> all = new ArrayList<>();
        all.add(reference);
        all.addAll(models);
        List<OrtSession> sessions = new ArrayList<>();
        try {
            for (Path model : all) {
                OrtSession.SessionOptions so = new OrtSession.SessionOptions();
                so.setIntraOpNumThreads(threads);
                so.setInterOpNumThreads(1);
                so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                sessions.add(env.createSession(model.toString(), so));
            }
            // fidelity over every batch
            double[] minCosine = new double[all.size()];
            double[] sumCosine = new double[all.size()];
            Arrays.fill(minCosine, 1);
            int count = 0;
            for (Map<String, long[][]> batch : batches) {
                float[][] expected = pooled(sessions.get(0), env, batch);
                for (int m = 0; m < all.size(); m++) {
                    float[][] actual = pooled(sessions.get(m), env, batch);
                    for (int i = 0; i < expected.length; i++) {
                        double c = cosine(expected[i], actual[i]);
                        minCosine[m] = Math.min(minCosine[m], c);
                        sumCosine[m] += c;
                    }
                }
                count += expected.length;
            }
            // speed: ABBA rounds over the timed batches
            List<Map<String, long[][]>> timedBatches = batches.subList(0, Math.min(timed, batches.size()));
            for (int m = 0; m < all.size(); m++) {
                for (int w = 0; w < 3; w++) {
                    for (Map<String, long[][]> batch : timedBatches) {
                        pooled(sessions.get(m), env, batch);
                    }
                }
            }
            double[][] roundMillis = new double[all.size()][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < all.size(); k++) {
                    int m = r % 2 == 0 ? k : all.size() - 1 - k;
                    long start = System.nanoTime();
                    for (Map<String, long[][]> batch : timedBatches) {
                        run(sessions.get(m), env, batch).close();
                    }
                    roundMillis[m][r] = (System.nanoTime() - start) / 1e6;
                }
            }
            long timedReal = 0;
            long timedPositions = 0;
            for (Map<String, long[][]> batch : timedBatches) {
                for (long[] row : batch.get("attention_mask")) {
                    timedReal += Arrays.stream(row).sum();
                    timedPositions += row.length;
                }
            }
            System.out.printf(Locale.ROOT, "%d glosses of data.noun from line %d, batches of %d padded to %s "
                    + "(truncated to %d tokens): %.1f%% of positions are real tokens; timed: %d batches, %d real "
                    + "tokens of %d positions; %d threads, %d ABBA rounds; load %s%n", count, skip, batchSize,
                    longest ? "their longest text" : maxLength + " tokens", maxLength, 100.0 * realTokens / positions,
                    timedBatches.size(), timedReal, timedPositions, threads, rounds,
                    Files.readString(Path.of("/proc/loadavg")).strip());
            System.out.println("| model | bytes | fp32 / bytes | median ms per round | speedup vs reference: median "
                    + "(min-max over rounds) | min cosine | mean cosine |");
            System.out.println("|---|---:|---:|---:|---|---:|---:|");
            long referenceBytes = Files.size(reference);
            for (int m = 0; m < all.size(); m++) {
                double[] ratios = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    ratios[r] = roundMillis[0][r] / roundMillis[m][r];
                }
                Arrays.sort(ratios);
                long bytes = Files.size(all.get(m));
                System.out.printf(Locale.ROOT, "| %s | %,d | %.3f | %.1f | %.2fx (%.2f-%.2f) | %.5f | %.5f |%n",
                        all.get(m).getFileName(), bytes, (double) referenceBytes / bytes, median(roundMillis[m]),
                        median(ratios), ratios[0], ratios[rounds - 1], minCosine[m], sumCosine[m] / count);
            }
        } finally {
            for (OrtSession s : sessions) {
                s.close();
            }
        }
    }

    private static List<String> glosses(int skip, int count) throws IOException {
        List<String> glosses = new ArrayList<>();
        List<String> lines = Files.readAllLines(Path.of("/usr/share/wordnet/data.noun"), StandardCharsets.UTF_8);
        for (int i = skip; i < lines.size() && glosses.size() < count; i++) {
            String line = lines.get(i);
            int bar = line.indexOf(" | ");
            if (!line.startsWith(" ") && bar > 0) {
                glosses.add(line.substring(bar + 3).strip());
            }
        }
        return glosses;
    }

    private static OrtSession.Result run(OrtSession session, OrtEnvironment env, Map<String, long[][]> batch)
            throws OrtException {
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            for (String name : session.getInputNames()) {
                long[][] rows = batch.get(name);
                long[] flat = Arrays.stream(rows).flatMapToLong(Arrays::stream).toArray();
                inputs.put(name, OnnxTensor.createTensor(env, LongBuffer.wrap(flat),
                        new long[] {rows.length, rows[0].length}));
            }
            return session.run(inputs);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    /** The first output, mean-pooled over the positions the attention mask marks. */
    private static float[][] pooled(OrtSession session, OrtEnvironment env, Map<String, long[][]> batch)
            throws OrtException {
        long[][] mask = batch.get("attention_mask");
        try (OrtSession.Result result = run(session, env, batch)) {
            float[][][] hidden = (float[][][]) result.get(0).getValue();
            float[][] pooled = new float[hidden.length][hidden[0][0].length];
            for (int b = 0; b < hidden.length; b++) {
                int real = 0;
                for (int t = 0; t < hidden[b].length; t++) {
                    if (mask[b][t] != 0) {
                        real++;
                        for (int h = 0; h < pooled[b].length; h++) {
                            pooled[b][h] += hidden[b][t][h];
                        }
                    }
                }
                for (int h = 0; h < pooled[b].length; h++) {
                    pooled[b][h] /= real;
                }
            }
            return pooled;
        }
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
