package dev.verdant.compress.structured;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.compress.CompressionPass;
import dev.verdant.compress.GraphEdit;
import dev.verdant.compress.PassContext;
import dev.verdant.compress.PassOutput;
import dev.verdant.compress.retrain.StepArguments;
import dev.verdant.compress.structured.TransformerBlocks.Kind;
import dev.verdant.onnx.OnnxGraph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code prune-structured} recipe step on a BERT-style encoder: removes attention heads and feed-forward channels
 * ranked on the recipe's calibration text and re-fits the output projections ({@link TransformerStructuredPruner}),
 * with no retraining.
 *
 * <p>Written {@code prune-structured:F} it removes the fraction F of both (the same step prunes CNNs and MLPs,
 * {@link StructuredPruningPass}); with encoder settings, {@code prune-structured:ffn=F,heads=F,reconstruct=no,
 * ridge=R}, each has its own fraction (default 0, or the plain fraction given first).
 */
public final class TransformerStructuredPruningPass implements CompressionPass {

    /** The settings only encoders take; a step written with one of them never retrains. */
    static final String NAME = "prune-structured";

    private static final Set<String> ENCODER_KEYS = Set.of("ffn", "heads", "reconstruct", "ridge");

    private final TransformerStructuredPruner.Options options;
    private final int threads;

    /** @param threads ONNX Runtime intra-op threads for the calibration runs */
    public TransformerStructuredPruningPass(TransformerStructuredPruner.Options options, int threads) {
        this.options = options;
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
        StepArguments args = StepArguments.parse(NAME, argument, ENCODER_KEYS);
        if (args.words().size() > 1) {
            throw new IllegalArgumentException("recipe step '" + NAME + "' takes one plain fraction and ffn=, heads=,"
                    + " reconstruct=, ridge=; epochs= and the other retraining settings apply to CNNs and MLPs");
        }
        double plain = args.words().isEmpty() ? 0 : fraction(args.words().get(0));
        double ridge = args.number("ridge", OutputReconstruction.DEFAULT_RIDGE, Double.MIN_VALUE, 1e6);
        TransformerStructuredPruner.Options options = new TransformerStructuredPruner.Options(
                args.number("ffn", plain, -Double.MAX_VALUE, Double.MAX_VALUE),
                args.number("heads", plain, -Double.MAX_VALUE, Double.MAX_VALUE),
                yesNo(args.text("reconstruct", "yes")), ridge);
        return new TransformerStructuredPruningPass(options, threads);
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
        TransformerStructuredPruner.Result result = new TransformerStructuredPruner(options, threads)
                .prune(model, context.calibration());
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("ffn", options.ffnFraction());
        facts.put("heads", options.headFraction());
        facts.put("reconstruct", options.reconstruct());
        facts.put("calibrationTokens", result.calibrationTokens());
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
        return new PassOutput(result.model(), facts);
    }
}
