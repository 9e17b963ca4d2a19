package dev.verdant.compress.structured;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.compress.EncoderInputs;
import dev.verdant.compress.Fidelity;
import dev.verdant.compress.PassContext.CalibrationSample;
import dev.verdant.data.TokenBatch;
import dev.verdant.energy.EnergyReport;
import dev.verdant.energy.Measured;
import dev.verdant.energy.Tracker;
import dev.verdant.runtime.InputTensor;
import dev.verdant.runtime.ModelInputs;
import dev.verdant.runtime.OrtRunner;
import dev.verdant.runtime.SessionSpec;
import dev.verdant.train.LearningRateSchedule;
import dev.verdant.train.OptimizerConfig;
import dev.verdant.train.TrainConfig;
import dev.verdant.train.TrainingLoss;
import dev.verdant.train.TrainingSession;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Wins back what pruning took from a sentence encoder by distilling the original: the pruned model is trained in the
 * training engine to reproduce the original's mean-pooled embeddings ({@link TrainingLoss.EmbeddingDistillation},
 * {@code 1 - cosine}) on unlabelled text. The original's embeddings are computed once per text in ONNX Runtime, as
 * they never change. The last eighth of the text batches (at least one when there are two or more, at most
 * {@link #MAX_HELD_OUT_BATCHES}) is held out of training and measures the fidelity to the original before and after, in ONNX Runtime.
 *
 * <p>The text must not be the text the pruning's least squares were fitted on: the re-fit reproduces the original
 * almost exactly there (cosine about 0.985 at half the heads and channels, against about 0.8 on other text), so
 * distilling on it has nearly nothing to learn and measurably overfits. {@link #reconstructionShare} splits one
 * calibration set between the two.
 */
final class EncoderDistillation {

    /** AdamW's peak learning rate when the recipe gives none: the usual scale for fine-tuning BERT-size encoders. */
    static final float DEFAULT_LEARNING_RATE = 1e-4f;

    /**
     * How to fine-tune.
     *
     * @param epochs       passes over the training text, 0 for none
     * @param learningRate AdamW's peak learning rate (cosine decay to 0)
     */
    record Options(int epochs, float learningRate) {
        Options {
            if (epochs < 0 || !(learningRate > 0)) {
                throw new IllegalArgumentException("fine-tuning needs epochs >= 0 and lr > 0");
            }
        }
    }

    /**
     * What the fine-tuning did.
     *
     * @param model           the fine-tuned encoder
     * @param trainingTexts   texts trained on
     * @param validationTexts held-out texts the fidelity was measured on (0 when there were too few batches)
     * @param steps           optimizer steps
     * @param epochLosses     mean loss of each epoch
     * @param before          fidelity of the pruned model to the original on the held-out texts, or null
     * @param after           the same after fine-tuning, or null
     * @param seconds         wall-clock training time
     * @param energy          the energy module's report of the training (read from a counter or estimated: see its
     *                        method)
     */
    record Result(ModelProto model, int trainingTexts, int validationTexts, long steps, List<Double> epochLosses,
            Fidelity before, Fidelity after, double seconds, EnergyReport energy) {
    }

    /**
     * Batches the pruning's reconstruction fits on at most when the rest are distilled on: 16 (256 texts in the
     * default batches) fit the least squares as well as the no-fine-tuning benchmark did, and every further text
     * is worth more to the distillation, which overfits a few hundred texts (bench/compress-prune/run.sh finetune).
     */
    static final int MAX_RECONSTRUCTION_BATCHES = 16;

    /** Batches held out of training at most to measure fidelity before and after. */
    static final int MAX_HELD_OUT_BATCHES = 8;

    /**
     * How many of {@code batches} calibration batches the pruning's reconstruction fits on when the rest are
     * distilled on: the first quarter (at least one), at most {@link #MAX_RECONSTRUCTION_BATCHES}.
     */
    static int reconstructionShare(int batches) {
        return Math.max(1, Math.min(batches / 4, MAX_RECONSTRUCTION_BATCHES));
    }

    private final Options options;
    private final int threads;
    private final long seed;

    /** @param threads ONNX Runtime intra-op threads for the teacher and the fidelity checks */
    EncoderDistillation(Options options, int threads, long seed) {
        this.options = options;
        this.threads = threads;
        this.seed = seed;
    }

    /** Fine-tunes {@code pruned} towards {@code original} on {@code texts} (token batches as EncoderInputs makes). */
    Result fineTune(ModelProto original, ModelProto pruned, List<CalibrationSample> texts) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("fine-tuning the pruned encoder needs text beyond what its"
                    + " reconstruction calibrates on: raise --calibration (a quarter calibrates, the rest trains)");
        }
        List<CalibrationSample> batches = texts.stream().map(TransformerStructuredPruner::withoutTrailingPadding)
                .toList();
        int held = batches.size() >= 2 ? Math.max(1, Math.min(batches.size() / 8, MAX_HELD_OUT_BATCHES)) : 0;
        List<CalibrationSample> training = batches.subList(0, batches.size() - held);
        List<CalibrationSample> validation = batches.subList(batches.size() - held, batches.size());
        List<float[]> targets = new ArrayList<>();
        try (OrtRunner teacher = OrtRunner.open(original, SessionSpec.threads(threads))) {
            for (CalibrationSample batch : training) {
                targets.add(flatten(Fidelity.embeddings(teacher.run(batch.inputs()).values().iterator().next(),
                        batch)));
            }
        }
        List<TokenBatch> tokenBatches = training.stream().map(EncoderDistillation::tokenBatch).toList();
        long totalSteps = (long) tokenBatches.size() * options.epochs();
        // one PyTorch thread: the pool is per process and the machines this runs on are shared
        TrainConfig config = TrainConfig.builder().setEpochs(Math.max(1, options.epochs())).optSeed(seed)
                .optOptimizer(OptimizerConfig.adamW()).optLearningRate(options.learningRate())
                .optLoss(new TrainingLoss.EmbeddingDistillation()).optThreads(1).build();
        List<Double> losses = new ArrayList<>();
        long started = System.nanoTime();
        Measured<ModelProto> measured;
        try {
            measured = Tracker.measure("verdant compress: encoder distillation", () -> {
                try (TrainingSession session = new TrainingSession(pruned, config,
                        new LearningRateSchedule.Cosine(options.learningRate(), 0f, Math.max(1, totalSteps)))) {
                    Random random = new Random(seed);
                    List<Integer> order = new ArrayList<>();
                    for (int i = 0; i < tokenBatches.size(); i++) {
                        order.add(i);
                    }
                    for (int epoch = 0; epoch < options.epochs(); epoch++) {
                        Collections.shuffle(order, random);
                        double sum = 0;
                        for (int i : order) {
                            sum += session.step(tokenBatches.get(i), targets.get(i));
                        }
                        losses.add(sum / Math.max(1, order.size()));
                    }
                    return session.export(Map.of());
                }
            });
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("fine-tuning the pruned encoder failed: " + e.getMessage(), e);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Fidelity before = validation.isEmpty() ? null : compare(original, pruned, validation);
        Fidelity after = validation.isEmpty() ? null : compare(original, measured.value(), validation);
        int trainingTexts = tokenBatches.stream().mapToInt(TokenBatch::size).sum();
        int validationTexts = validation.stream().mapToInt(b -> Math.toIntExact(mask(b).shape()[0])).sum();
        return new Result(measured.value(), trainingTexts, validationTexts, totalSteps, List.copyOf(losses), before,
                after, seconds, measured.report());
    }

    private Fidelity compare(ModelProto reference, ModelProto candidate, List<CalibrationSample> batches) {
        Fidelity.Meter meter = new Fidelity.Meter();
        try (OrtRunner before = OrtRunner.open(reference, SessionSpec.threads(threads));
                OrtRunner after = OrtRunner.open(candidate, SessionSpec.threads(threads))) {
            for (CalibrationSample batch : batches) {
                meter.add(before.run(batch.inputs()), after.run(batch.inputs()), batch);
            }
        }
        return meter.result();
    }

    private static InputTensor mask(CalibrationSample sample) {
        InputTensor mask = sample.inputs().get(ModelInputs.ATTENTION_MASK);
        if (mask == null || mask.longs() == null || mask.shape().length != 2) {
            throw new IllegalArgumentException("distilling an encoder needs token batches with an attention mask");
        }
        return mask;
    }

    /** The batch as the training engine reads it (token type 0 when the model declares none). */
    private static TokenBatch tokenBatch(CalibrationSample sample) {
        InputTensor mask = mask(sample);
        int rows = Math.toIntExact(mask.shape()[0]);
        InputTensor types = sample.inputs().get("token_type_ids");
        return new TokenBatch(sample.inputs().get("input_ids").longs(), mask.longs(),
                types == null ? new long[mask.longs().length] : types.longs(), new int[rows],
                Math.toIntExact(mask.shape()[1]));
    }

    private static float[] flatten(float[][] rows) {
        int width = rows.length == 0 ? 0 : rows[0].length;
        float[] flat = new float[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * width, width);
        }
        return flat;
    }
}
