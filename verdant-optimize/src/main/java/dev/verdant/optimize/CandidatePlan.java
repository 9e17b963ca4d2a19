package dev.verdant.optimize;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.verdant.compress.Recipe;
import dev.verdant.compress.quantize.QuantizationOptions;
import dev.verdant.compress.quantize.CalibrationMethod;
import dev.verdant.compress.quantize.NodeSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One point of the recipe space to try: a recipe, how its int8 steps calibrate, and which nodes stay in float.
 * The original model itself is the plan with no recipe.
 *
 * @param recipe      the recipe as {@code verdant compress --recipe} spells it, or null for the original
 * @param calibration how an {@code int8-static} step sets activation ranges
 * @param keepFloat   exact node names the int8 steps leave in float (most sensitive first)
 * @param why         one phrase saying why the search tries it, for the table
 */
public record CandidatePlan(String recipe, CalibrationMethod calibration, List<String> keepFloat, String why) {

    /** The id of the original model's plan. */
    public static final String ORIGINAL_ID = "original";

    public CandidatePlan {
        keepFloat = List.copyOf(keepFloat);
        if (recipe != null) {
            Recipe.parse(recipe);
        }
    }

    /** The original model, measured as it is. */
    public static CandidatePlan original() {
        return new CandidatePlan(null, CalibrationMethod.MIN_MAX, List.of(), "the model as given");
    }

    /** A recipe with min-max calibration and nothing kept in float. */
    public static CandidatePlan of(String recipe, String why) {
        return new CandidatePlan(recipe, CalibrationMethod.MIN_MAX, List.of(), why);
    }

    @JsonIgnore
    public boolean isOriginal() {
        return recipe == null;
    }

    /** Whether the recipe quantizes to int8 (the steps keep-float and calibration apply to). */
    public boolean quantizes() {
        return recipe != null && (parsed().has("int8-dynamic") || parsed().has("int8-static"));
    }

    /**
     * A unique, stable id: the recipe plus any setting that differs from the defaults, e.g.
     * {@code int8-static calibrate=entropy} or {@code int8-dynamic keep-float=3}. The state file records finished
     * candidates by it.
     */
    public String id() {
        if (recipe == null) {
            return ORIGINAL_ID;
        }
        StringBuilder id = new StringBuilder(recipe);
        if (parsed().has("int8-static") && calibration != CalibrationMethod.MIN_MAX) {
            id.append(" calibrate=").append(calibration.optionName());
        }
        if (!keepFloat.isEmpty()) {
            id.append(" keep-float=").append(keepFloat.size());
        }
        return id.toString();
    }

    public Recipe parsed() {
        if (recipe == null) {
            throw new IllegalStateException("the original plan has no recipe");
        }
        return Recipe.parse(recipe);
    }

    /** The compression options this plan runs with: per-channel weights, asymmetric activations. */
    public QuantizationOptions options() {
        List<String> patterns = new ArrayList<>();
        for (String node : keepFloat) {
            // node names are matched as globs; a name that holds a glob character is matched literally instead
            patterns.add(node.matches(".*[*?\\[\\]].*") || node.startsWith("regex:")
                    ? "regex:" + Pattern.quote(node) : node);
        }
        return new QuantizationOptions(true, false, calibration, new NodeSelector(patterns));
    }

    /**
     * Whether int8 is the recipe's only lossy step (fusions are exact, and padding removal keeps every real token's
     * output), so that keeping layers in float can win back what it lost; with pruning or sharing in the recipe the
     * loss may not be the quantizer's.
     */
    public boolean onlyQuantizationLoses() {
        return quantizes() && parsed().steps().stream()
                .allMatch(s -> s.name().equals("fuse") || s.name().equals("unpad") || s.name().startsWith("int8-"));
    }

    /** The same recipe and calibration with {@code nodes} kept in float. */
    public CandidatePlan keepingFloat(List<String> nodes, String reason) {
        return new CandidatePlan(recipe, calibration, nodes, reason);
    }
}
