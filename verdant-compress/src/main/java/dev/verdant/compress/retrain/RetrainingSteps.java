package dev.verdant.compress.retrain;

import dev.verdant.compress.CompressionPass;
import dev.verdant.compress.distill.DistillationPass;
import dev.verdant.compress.distill.TransferSet;
import dev.verdant.compress.prune.PruningSensitivity;
import dev.verdant.compress.prune.PruningTarget;
import dev.verdant.compress.share.SharingBits;
import dev.verdant.compress.share.SharingBitsSearch;
import dev.verdant.compress.structured.StructuredPruningPass;
import dev.verdant.train.TrainingLoss;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The recipe steps that retrain, as {@link dev.verdant.compress.Recipe} parses them: {@code prune:S,gradual},
 * {@code prune-structured:F}, {@code int8-qat}, {@code deep-compression} and
 * {@code distill:student=mobilenet,width=0.5,T=4,alpha=0.9}. Their settings follow the step after commas, so the
 * recipe parser first joins such continuation parts back onto their step ({@link #joinSettings}). Every step also
 * takes {@code epochs=}, {@code lr=}, {@code batch=} and {@code examples=}.
 */
public final class RetrainingSteps {

    /** The step names that always retrain ({@code prune} retrains only with {@code gradual}). */
    public static final List<String> NAMES = List.of("prune-structured", "int8-qat", "deep-compression", "distill");

    /**
     * Fine-tuning epochs of {@code prune-structured} on a CNN or MLP unless {@code epochs=} is given (an encoder is not
     * fine-tuned unless asked). With distillation from the original, 30 took LeNet-5 at half its channels from -2.7
     * points (4 epochs, labels alone, the old default) to -1.0 on Fashion-MNIST (BENCHMARKS.md).
     */
    static final int STRUCTURED_PRUNING_EPOCHS = 30;

    /** Epochs of {@code deep-compression}'s pruning phase unless {@code epochs=} is given. */
    static final int DEEP_COMPRESSION_EPOCHS = 30;

    /** The value of a setting chosen on validation examples ({@code sparsity=auto}, {@code bits=auto}). */
    private static final String AUTO = "auto";

    /** The word that turns {@code prune:S} into gradual pruning with retraining. */
    public static final String GRADUAL = "gradual";

    private RetrainingSteps() {
    }

    /**
     * Joins the comma-separated parts of a recipe so that settings ({@code key=value}, or the word {@code gradual})
     * stay with the step before them: {@code [prune:0.9, gradual, share:5bit]} becomes
     * {@code [prune:0.9,gradual, share:5bit]}. Empty parts are kept for the parser to refuse.
     */
    public static List<String> joinSettings(String[] parts) {
        List<String> joined = new ArrayList<>();
        for (String part : parts) {
            String trimmed = part.strip();
            boolean setting = !trimmed.contains(":") && (trimmed.contains("=") || trimmed.equalsIgnoreCase(GRADUAL));
            if (setting && !joined.isEmpty() && !joined.get(joined.size() - 1).isBlank()) {
                String previous = joined.remove(joined.size() - 1);
                joined.add(previous + (previous.contains(":") ? "," : ":") + trimmed);
            } else {
                joined.add(part);
            }
        }
        return joined;
    }

    /** Whether the step retrains the model (and so needs labelled data). */
    public static boolean retrains(String name, String argument) {
        return NAMES.contains(name) || (name.equals("prune") && isGradual(argument));
    }

    /** Whether a {@code prune} argument asks for gradual pruning. */
    public static boolean isGradual(String argument) {
        for (String token : argument.split(",")) {
            if (token.strip().equalsIgnoreCase(GRADUAL)) {
                return true;
            }
        }
        return false;
    }

    /** Checks a step's argument without loading anything; throws one line when it does not parse. */
    public static void check(String name, String argument) {
        pass(name, argument, new TrainingSetup(null, 1, 1, "check"));
    }

    /**
     * The pass of a retraining step. Building it parses and checks the argument; the data is loaded when it runs.
     *
     * @throws IllegalArgumentException with one line naming the step
     */
    public static CompressionPass pass(String name, String argument, TrainingSetup setup) {
        return switch (name) {
            case "prune" -> {
                StepArguments args = StepArguments.parse(name, argument, RetrainingOptions.KEYS);
                List<String> words = args.words().stream().filter(w -> !w.equals(GRADUAL)).toList();
                if (words.size() != 1) {
                    throw new IllegalArgumentException("recipe step 'prune' needs one sparsity before gradual, e.g. "
                            + "prune:0.92,gradual");
                }
                yield new GradualPruningPass(PruningTarget.parse(words.get(0)), RetrainingOptions.of(args, 10, 1e-3f),
                        setup);
            }
            case "deep-compression" -> {
                StepArguments args = StepArguments.parse(name, argument, keys("sparsity", "overall", "conv", "fc",
                        "centroid-epochs", "bits", "tolerance", "validation", "t", "alpha"));
                noWords(args);
                DeepCompressionPass.LayerPruning pruning = deepCompressionPruning(args);
                DeepCompressionPass.LayerBits bits = deepCompressionBits(args);
                boolean validates = pruning instanceof DeepCompressionPass.LayerPruning.BySensitivity
                        || bits instanceof DeepCompressionPass.LayerBits.Searched;
                if (!validates && args.settings().containsKey("validation")) {
                    throw new IllegalArgumentException("recipe step 'deep-compression': validation= goes with "
                            + "sparsity=auto or bits=auto");
                }
                RetrainingOptions options = RetrainingOptions.of(args, DEEP_COMPRESSION_EPOCHS, 1e-3f);
                yield new DeepCompressionPass(pruning, bits,
                        args.integer("validation", Retrainer.DEFAULT_VALIDATION, 1, 1 << 24),
                        options, args.integer("centroid-epochs", Math.max(1, options.epochs() / 5), 0, 10_000),
                        selfDistillationLoss(name, args), setup);
            }
            case "int8-qat" -> {
                StepArguments args = StepArguments.parse(name, argument, RetrainingOptions.KEYS);
                noWords(args);
                yield new QuantizationAwareTrainingPass(RetrainingOptions.of(args, 2, 1e-4f), setup);
            }
            case "prune-structured" -> {
                StepArguments args = StepArguments.parse(name, argument, keys("t", "alpha"));
                if (args.words().size() != 1) {
                    throw new IllegalArgumentException("recipe step 'prune-structured' needs the fraction of channels"
                            + " to remove, e.g. prune-structured:0.5");
                }
                yield new StructuredPruningPass(fraction(args.words().get(0)), argument,
                        RetrainingOptions.of(args, STRUCTURED_PRUNING_EPOCHS, 1e-3f), selfDistillationLoss(name, args),
                        setup);
            }
            case "distill" -> {
                StepArguments args = StepArguments.parse(name, argument,
                        keys("student", "width", "t", "alpha", "cache", "transfer"));
                noWords(args);
                Optional<TransferSet> transfer = args.settings().containsKey("transfer")
                        ? Optional.of(TransferSet.parse(args.text("transfer", ""))) : Optional.empty();
                yield new DistillationPass(args.text("student", "mobilenet"), args.number("width", 1.0, 0.05, 4),
                        (float) args.number("t", 4, 1e-3, 1e3), (float) args.number("alpha", 0.9, 0, 1),
                        args.bool("cache", true), transfer, RetrainingOptions.of(args, 10, 1e-3f), setup);
            }
            default -> throw new IllegalStateException("not a retraining step: " + name);
        };
    }

    /**
     * Distillation from the original model at {@code alpha=} (default
     * {@link DeepCompressionPass#DEFAULT_DISTILLATION_ALPHA}) and temperature {@code t=} (default
     * {@link DeepCompressionPass#DEFAULT_DISTILLATION_TEMPERATURE}): the compressed model learns the original's soft
     * outputs as well as the labels; {@code alpha=0} trains on the labels alone (cross-entropy).
     */
    private static TrainingLoss selfDistillationLoss(String step, StepArguments args) {
        double alpha = args.number("alpha", DeepCompressionPass.DEFAULT_DISTILLATION_ALPHA, 0, 1);
        if (alpha == 0) {
            if (args.settings().containsKey("t")) {
                throw new IllegalArgumentException("recipe step '" + step + "': t= is the distillation's "
                        + "temperature, and alpha=0 turns distillation off");
            }
            return new TrainingLoss.CrossEntropy();
        }
        return new TrainingLoss.Distillation((float) args.number("t",
                DeepCompressionPass.DEFAULT_DISTILLATION_TEMPERATURE, 1e-3, 1e3), (float) alpha);
    }

    /**
     * {@code sparsity=auto} (the default: per layer by sensitivity, reaching {@code overall=} over all weights,
     * default {@link DeepCompressionPass#DEFAULT_OVERALL_SPARSITY}) or {@code sparsity=S} (one global figure, as
     * {@code prune:S,gradual}).
     */
    private static DeepCompressionPass.LayerPruning deepCompressionPruning(StepArguments args) {
        String spec = args.text("sparsity", AUTO).strip().toLowerCase(Locale.ROOT);
        if (spec.equals(AUTO)) {
            return new DeepCompressionPass.LayerPruning.BySensitivity(args.number("overall",
                    DeepCompressionPass.DEFAULT_OVERALL_SPARSITY, 0.01,
                    PruningSensitivity.GRID.get(PruningSensitivity.GRID.size() - 1)));
        }
        if (args.settings().containsKey("overall")) {
            throw new IllegalArgumentException("recipe step 'deep-compression': overall= goes with sparsity=auto");
        }
        return new DeepCompressionPass.LayerPruning.Given(new PruningTarget.Global(args.number("sparsity", 0, 0,
                0.9999)));
    }

    /**
     * {@code bits=auto} (the default, with {@code tolerance=} points of validation accuracy per layer, default 0.2),
     * {@code bits=N} for every layer, or {@code bits=default}: Han et al.'s 8 for convolutions and 5 for
     * fully-connected layers, with {@code conv=} and {@code fc=} overrides.
     */
    private static DeepCompressionPass.LayerBits deepCompressionBits(StepArguments args) {
        boolean hanBits = args.settings().containsKey("conv") || args.settings().containsKey("fc");
        String spec = args.text("bits", hanBits ? "default" : AUTO).strip().toLowerCase(Locale.ROOT);
        boolean auto = spec.equals(AUTO);
        if (!auto && args.settings().containsKey("tolerance")) {
            throw new IllegalArgumentException("recipe step 'deep-compression': tolerance= goes with bits=auto");
        }
        for (String key : List.of("conv", "fc")) {
            if (!spec.equals("default") && args.settings().containsKey(key)) {
                throw new IllegalArgumentException("recipe step 'deep-compression': " + key + "= sets Han et al.'s "
                        + "default bits and cannot go with bits=" + spec);
            }
        }
        if (auto) {
            return new DeepCompressionPass.LayerBits.Searched(
                    SharingBitsSearch.withTolerance(args.number("tolerance", 0.2, 0, 99) / 100));
        }
        if (spec.equals("default")) {
            SharingBits defaults = SharingBits.deepCompressionDefaults();
            return new DeepCompressionPass.LayerBits.Given(new SharingBits(
                    args.integer("conv", defaults.convBits(), 1, SharingBits.MAX_BITS),
                    args.integer("fc", defaults.fullyConnectedBits(), 1, SharingBits.MAX_BITS), Map.of()));
        }
        try {
            return new DeepCompressionPass.LayerBits.Given(SharingBits.parse(spec));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("recipe step 'deep-compression': bits must be auto, default or 1 to "
                    + SharingBits.MAX_BITS + ", got '" + args.text("bits", "") + "'", e);
        }
    }

    private static double fraction(String text) {
        try {
            double value = Double.parseDouble(text);
            if (!(value > 0 && value < 1)) {
                throw new IllegalArgumentException("prune-structured removes a fraction of channels in (0, 1), got "
                        + text);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("prune-structured needs a fraction of channels, e.g. 0.5, got '" + text
                    + "'", e);
        }
    }

    private static void noWords(StepArguments args) {
        if (!args.words().isEmpty()) {
            throw new IllegalArgumentException("recipe step '" + args.step() + "' takes key=value settings only, got '"
                    + String.join(",", args.words()) + "'");
        }
    }

    private static Set<String> keys(String... extra) {
        Set<String> keys = new HashSet<>(RetrainingOptions.KEYS);
        keys.addAll(List.of(extra));
        return keys;
    }
}
