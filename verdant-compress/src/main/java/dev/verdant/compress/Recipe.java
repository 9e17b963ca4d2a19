package dev.verdant.compress;

import dev.verdant.compress.fuse.PaddingRemoval;
import dev.verdant.compress.fuse.TransformerFusionPass;
import dev.verdant.compress.prune.MagnitudePruner;
import dev.verdant.compress.prune.PruningTarget;
import dev.verdant.compress.quantize.DynamicQuantizationPass;
import dev.verdant.compress.quantize.QuantizationOptions;
import dev.verdant.compress.quantize.StaticQuantizationPass;
import dev.verdant.compress.retrain.RetrainingSteps;
import dev.verdant.compress.retrain.TrainingSetup;
import dev.verdant.compress.share.SharingBits;
import dev.verdant.compress.share.WeightSharer;
import dev.verdant.compress.structured.TransformerStructuredPruningPass;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A compression recipe as users write it: steps separated by commas, each a name with an optional argument after
 * a colon, applied left to right, for example {@code fuse,int8-dynamic}, {@code prune:0.9,share:5bit} or
 * {@code int8-static}. Parsing checks every step and argument, so a recipe that does not parse fails before any
 * work with one line naming the bad step.
 *
 * @param steps the steps in order
 */
public record Recipe(List<Step> steps) {

    /** The step names recipes accept, for help texts and errors. */
    public static final List<String> STEP_NAMES = List.of("fuse", "int8-dynamic", "int8-static", "unpad", "prune",
            "share", "prune-structured", "int8-qat", "deep-compression", "distill");

    public Recipe {
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a recipe needs at least one step; accepted: " + String.join(", ",
                    STEP_NAMES));
        }
    }

    /**
     * One step of a recipe.
     *
     * @param name     the step's name, one of {@link #STEP_NAMES}
     * @param argument what follows the colon, or empty
     */
    public record Step(String name, String argument) {
        /** The step as a recipe spells it. */
        public String spec() {
            return argument.isEmpty() ? name : name + ":" + argument;
        }
    }

    /**
     * Parses a recipe and checks every argument (sparsity in [0, 1), sharing bits 1 to 8, no argument where none is
     * taken).
     *
     * @throws IllegalArgumentException with one line naming the step that does not parse
     */
    public static Recipe parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty recipe; accepted steps: " + String.join(", ", STEP_NAMES));
        }
        List<Step> steps = new ArrayList<>();
        // settings of retraining steps (prune:0.92,gradual or distill:student=mobilenet,T=4) stay with their step
        for (String part : RetrainingSteps.joinSettings(text.split(",", -1))) {
            String trimmed = part.strip();
            if (trimmed.isEmpty()) {
                throw new IllegalArgumentException("recipe '" + text + "' has an empty step; separate steps with one"
                        + " comma, e.g. fuse,int8-dynamic");
            }
            int colon = trimmed.indexOf(':');
            String name = (colon < 0 ? trimmed : trimmed.substring(0, colon)).strip().toLowerCase(Locale.ROOT);
            String argument = colon < 0 ? "" : trimmed.substring(colon + 1).strip();
            Step step = new Step(name, argument);
            check(step);
            steps.add(step);
        }
        checkOnce(text, steps);
        return new Recipe(steps);
    }

    /** Steps that make sense once in a recipe: a second one finds nothing left to do. */
    private static final List<String> ONCE = List.of("fuse", "int8-dynamic", "int8-static", "int8-qat", "unpad",
            "share", "deep-compression", "distill");
    private static final List<String> INT8 = List.of("int8-dynamic", "int8-static", "int8-qat");

    private static void checkOnce(String text, List<Step> steps) {
        List<String> names = steps.stream().map(Step::name).toList();
        for (String name : ONCE) {
            if (names.indexOf(name) != names.lastIndexOf(name)) {
                throw new IllegalArgumentException("recipe '" + text + "' names step '" + name + "' twice; each of "
                        + String.join(", ", ONCE) + " applies once");
            }
        }
        List<String> int8 = names.stream().filter(INT8::contains).toList();
        if (int8.size() > 1) {
            throw new IllegalArgumentException("recipe '" + text + "' quantizes twice (" + String.join(", ", int8)
                    + "); give one int8 step");
        }
    }

    private static void check(Step step) {
        switch (step.name()) {
            case "fuse", "int8-dynamic", "int8-static", "unpad" -> {
                if (!step.argument().isEmpty()) {
                    throw new IllegalArgumentException("recipe step '" + step.name() + "' takes no argument, got '"
                            + step.spec() + "'");
                }
            }
            case "prune" -> {
                if (RetrainingSteps.isGradual(step.argument())) {
                    RetrainingSteps.check(step.name(), step.argument());
                    return;
                }
                if (step.argument().isEmpty()) {
                    throw new IllegalArgumentException("recipe step 'prune' needs a target, e.g. prune:0.9, "
                            + "prune:0.9/layer or prune:2:4");
                }
                PruningTarget.parse(step.argument());
            }
            case "share" -> {
                if (step.argument().isEmpty()) {
                    throw new IllegalArgumentException("recipe step 'share' needs bits, e.g. share:5bit");
                }
                SharingBits.parse(step.argument());
            }
            case "prune-structured" -> {
                if (TransformerStructuredPruningPass.hasEncoderSettings(step.argument())) {
                    TransformerStructuredPruningPass.parse(step.argument(), 1);
                } else {
                    RetrainingSteps.check(step.name(), step.argument());
                }
            }
            case "int8-qat", "deep-compression", "distill" -> RetrainingSteps.check(step.name(), step.argument());
            default -> throw new IllegalArgumentException("unknown recipe step '" + step.name() + "'; accepted: "
                    + String.join(", ", STEP_NAMES));
        }
    }

    /** The recipe as users write it. */
    public String spec() {
        return steps.stream().map(Step::spec).collect(Collectors.joining(","));
    }

    /** Whether a step of that name is in the recipe. */
    public boolean has(String name) {
        return steps.stream().anyMatch(s -> s.name().equals(name));
    }

    /**
     * The passes, configured by {@code options}. A {@code fuse} step before an int8 step leaves the embedding block
     * unfused, because the quantizer stores the embedding tables in int8 and reads them through their Gathers.
     */
    public List<CompressionPass> passes(QuantizationOptions options) {
        return passes(options, () -> new TrainingSetup(null, 1, 1, "unknown"));
    }

    /** Whether any step retrains the model, and so needs labelled data. */
    public boolean retrains() {
        // prune-structured retrains CNNs and MLPs; written with encoder settings (ffn=, heads=) it never does
        return steps.stream().anyMatch(s -> RetrainingSteps.retrains(s.name(), s.argument())
                && !(s.name().equals("prune-structured")
                        && TransformerStructuredPruningPass.hasEncoderSettings(s.argument())));
    }

    /** The passes, the retraining ones training as {@code training} says. */
    public List<CompressionPass> passes(QuantizationOptions options, TrainingSetup training) {
        return passes(options, () -> training);
    }

    /**
     * The passes, the retraining ones training as {@code training} says; it is asked only by the steps that train,
     * so a recipe that does not train builds no training setup.
     */
    public List<CompressionPass> passes(QuantizationOptions options, Supplier<TrainingSetup> training) {
        boolean quantizedLater = has("int8-dynamic") || has("int8-static");
        List<CompressionPass> passes = new ArrayList<>();
        for (Step step : steps) {
            passes.add(switch (step.name()) {
                case "fuse" -> new TransformerFusionPass(!quantizedLater);
                case "int8-dynamic" -> new DynamicQuantizationPass(options.perChannel(), options.keepFloat()::matches,
                        true);
                case "int8-static" -> new StaticQuantizationPass(options);
                // opt-in: outputs at padded positions become 0 (see PaddingRemoval)
                case "unpad" -> new PaddingRemoval();
                case "prune" -> RetrainingSteps.isGradual(step.argument())
                        ? RetrainingSteps.pass(step.name(), step.argument(), training.get())
                        : new MagnitudePruner(PruningTarget.parse(step.argument()));
                case "prune-structured" -> TransformerStructuredPruningPass.hasEncoderSettings(step.argument())
                        ? TransformerStructuredPruningPass.parse(step.argument(), training.get().threads())
                        : RetrainingSteps.pass(step.name(), step.argument(), training.get());
                case "int8-qat", "deep-compression", "distill" ->
                        RetrainingSteps.pass(step.name(), step.argument(), training.get());
                case "share" -> new WeightSharer(SharingBits.parse(step.argument()));
                default -> throw new IllegalStateException("unchecked recipe step " + step.name());
            });
        }
        return passes;
    }
}
