package dev.verdant.compress.structured;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.compress.CompressionPass;
import dev.verdant.compress.GraphEdit;
import dev.verdant.compress.PassContext;
import dev.verdant.compress.PassContext.CalibrationSample;
import dev.verdant.compress.PassOutput;
import dev.verdant.compress.retrain.StepArguments;
import dev.verdant.compress.structured.TransformerBlocks.Kind;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.train.TrainingLoss;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code prune-structured} recipe step on a BERT-style encoder: removes attention heads and feed-forward channels
 * ranked on the recipe's calibration text and re-fits the output projections ({@link TransformerStructuredPruner});
 * with {@code epochs=N} (and optionally {@code lr=}, default 1e-4) it then fine-tunes the pruned encoder for N epochs
 * on unlabelled text to reproduce the unpruned encoder's sentence embeddings ({@link EncoderDistillation}). Then the
 * calibration text is split: the first quarter of its batches (at most 16) fits the least squares, the rest (less an
 * eighth, at most 8 batches, held out to report fidelity before and after) trains; the distillation overfits a few
 * hundred texts, so give it thousands ({@code --calibration 4096}).
 *
 * <p>Written {@code prune-structured:F} it removes the fraction F of both without fine-tuning (the same step prunes
 * CNNs and MLPs, {@link StructuredPruningPass}, where {@code epochs=} is the CNN's retraining); with encoder settings,
 * {@code prune-structured:ffn=F,heads=F,reconstruct=no,ridge=R,epochs=N,lr=L}, each has its own fraction (default 0,
 * or the plain fraction given first).
 */
public final class TransformerStructuredPruningPass implements CompressionPass {

    static final String NAME = "prune-structured";

    /** The settings only encoders take; a step written with one of them never needs labelled data. */
    private static final Set<String> ENCODER_KEYS = Set.of("ffn", "heads", "reconstruct", "ridge");

    /** Encoder settings that only count with one of {@link #ENCODER_KEYS} (alone they are CNN/MLP retraining's). */
    private static final Set<String> ALL_KEYS = Set.of("ffn", "heads", "reconstruct", "ridge", "epochs", "lr");

    private final TransformerStructuredPruner.Options options;
    private final EncoderDistillation.Options fineTuning;
    private final int threads;

    /** @param threads ONNX Runtime intra-op threads for the calibration runs */
    public TransformerStructuredPruningPass(TransformerStructuredPruner.Options options, int threads) {
        this(options, new EncoderDistillation.Options(0, EncoderDistillation.DEFAULT_LEARNING_RATE), threads);
    }

    TransformerStructuredPruningPass(TransformerStructuredPruner.Options options,
            EncoderDistillation.Options fineTuning, int threads) {
        this.options = options;
        this.fineTuning = fineTuning;
        this.threads = threads;
    }

    /** Whether a {@code prune-structured} argument uses encoder settings (ffn=, heads=, reconstruct=, ridge=). */
    public static boolean hasEncoderSettings(String argument) {
        for (String token : argument.split(",")) {
            int equals = token.indexOf('=');
            if (equals > 0 && ENCODER_KEYS.contains(token.substring(0, equals).strip().toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The pass for a {@code prune-structured} argument with encoder settings.
     *
     * @throws IllegalArgumentException with one line naming what does not parse
     */
    public static TransformerStructuredPruningPass parse(String argument, int threads) {
        StepArguments args = StepArguments.parse(NAME, argument, ALL_KEYS);
        if (args.words().size() > 1) {
            throw new IllegalArgumentException("recipe step '" + NAME + "' takes one plain fraction and ffn=, heads=,"
                    + " reconstruct=, ridge=, epochs=, lr=; batch= and examples= apply to CNNs and MLPs");
        }
        double plain = args.words().isEmpty() ? 0 : fraction(args.words().get(0));
        double ridge = args.number("ridge", OutputReconstruction.DEFAULT_RIDGE, Double.MIN_VALUE, 1e6);
        TransformerStructuredPruner.Options options = new TransformerStructuredPruner.Options(
                args.number("ffn", plain, -Double.MAX_VALUE, Double.MAX_VALUE),
                args.number("heads", plain, -Double.MAX_VALUE, Double.MAX_VALUE),
                yesNo(args.text("reconstruct", "yes")), ridge);
        EncoderDistillation.Options fineTuning = new EncoderDistillation.Options(
                args.integer("epochs", 0, 0, 10_000),
                (float) args.number("lr", EncoderDistillation.DEFAULT_LEARNING_RATE, 1e-7, 1));
        return new TransformerStructuredPruningPass(options, fineTuning, threads);
    }

    private static double fraction(String text) {
        try {
            double value = Double.parseDouble(text);
            if (!(value >= 0 && value < 1)) {
                throw new IllegalArgumentException("recipe step '" + NAME + "' removes a fraction in [0, 1), got "
                        + text);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("recipe step '" + NAME + "' needs a fraction, e.g. 0.5, got '" + text
                    + "'", e);
        }
    }

    private static boolean yesNo(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "yes", "true", "on" -> true;
            case "no", "false", "off" -> false;
            default -> throw new IllegalArgumentException("recipe step '" + NAME + "': reconstruct must be yes or no,"
                    + " got '" + text + "'");
        };
    }

    /** What the step removes and how. */
    public TransformerStructuredPruner.Options options() {
        return options;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Whether the graph holds any unit this pass prunes. */
    public static boolean applies(ModelProto model) {
        return !TransformerBlocks.find(new GraphEdit(model)).isEmpty();
    }

    @Override
    public void validate(OnnxGraph graph) {
        if (!applies(graph.model())) {
            throw new IllegalArgumentException(TransformerStructuredPruner.notAnEncoder());
        }
    }

    @Override
    public PassOutput apply(ModelProto model, PassContext context) {
        List<CalibrationSample> text = context.calibration();
        // distilling on the text the least squares fitted teaches nothing (see EncoderDistillation): split it
        int fitted = fineTuning.epochs() == 0 ? text.size() : EncoderDistillation.reconstructionShare(text.size());
        TransformerStructuredPruner.Result result = new TransformerStructuredPruner(options, threads)
                .prune(model, text.subList(0, Math.min(fitted, text.size())));
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("ffn", options.ffnFraction());
        facts.put("heads", options.headFraction());
        facts.put("reconstruct", options.reconstruct());
        facts.put("calibrationTokens", result.calibrationTokens());
        facts.put("calibrationBatches", Math.min(fitted, text.size()));
        for (Kind kind : Kind.values()) {
            String key = kind == Kind.HEADS ? "headsKept" : "ffnChannelsKept";
            int before = result.units().stream().filter(u -> u.kind() == kind).mapToInt(u -> u.before()).sum();
            int after = result.units().stream().filter(u -> u.kind() == kind).mapToInt(u -> u.after()).sum();
            facts.put(key, after + "/" + before);
        }
        List<Map<String, Object>> units = new ArrayList<>();
        for (TransformerStructuredPruner.UnitReport unit : result.units()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("unit", unit.unit());
            row.put("kind", unit.kind().name().toLowerCase(Locale.ROOT));
            row.put("before", unit.before());
            row.put("after", unit.after());
            row.put("relativeErrorPlain", unit.plainError());
            if (!Double.isNaN(unit.reconstructedError())) {
                row.put("relativeErrorReconstructed", unit.reconstructedError());
            }
            units.add(row);
        }
        facts.put("units", units);
        if (fineTuning.epochs() == 0) {
            return new PassOutput(result.model(), facts);
        }
        EncoderDistillation.Result tuned = new EncoderDistillation(fineTuning, threads, context.seed())
                .fineTune(model, result.model(), text.subList(Math.min(fitted, text.size()), text.size()));
        Map<String, Object> finetune = new LinkedHashMap<>();
        finetune.put("loss", new TrainingLoss.EmbeddingDistillation().describe());
        finetune.put("epochs", fineTuning.epochs());
        finetune.put("learningRate", fineTuning.learningRate());
        finetune.put("trainingTexts", tuned.trainingTexts());
        finetune.put("heldOutTexts", tuned.validationTexts());
        finetune.put("steps", tuned.steps());
        finetune.put("epochLosses", tuned.epochLosses());
        if (tuned.before() != null) {
            finetune.put("heldOutMinCosineBefore", tuned.before().minCosine());
            finetune.put("heldOutMeanCosineBefore", tuned.before().meanCosine());
            finetune.put("heldOutMinCosineAfter", tuned.after().minCosine());
            finetune.put("heldOutMeanCosineAfter", tuned.after().meanCosine());
        }
        finetune.put("seconds", tuned.seconds());
        finetune.put("energyJoules", tuned.energy().itEnergy().joules());
        finetune.put("energyMethod", tuned.energy().method().label());
        facts.put("finetune", finetune);
        return new PassOutput(tuned.model(), facts);
    }
}
