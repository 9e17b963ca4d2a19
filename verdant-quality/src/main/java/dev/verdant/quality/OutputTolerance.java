package dev.verdant.quality;

import dev.verdant.io.MessageText;
import java.util.Locale;

/**
 * What one output of a compressed model must keep, as {@code --tolerance OUT=METRIC>=X} (or {@code <=X}) states
 * it: {@code logits=top1-agree>=0.995}, {@code maps=iou@0.3>=0.9}, {@code output=max-abs<=0.02}.
 *
 * @param output  the output's name in the original model
 * @param metric  the metric's name ({@link BuiltinMetrics} or a {@link QualityMetric} a plugin brings)
 * @param atLeast whether the figure must be at least {@code limit} ({@code >=}) rather than at most ({@code <=})
 * @param limit   the bound, a finite number
 */
public record OutputTolerance(String output, String metric, boolean atLeast, double limit) {

    /** The syntax, for messages. */
    public static final String SYNTAX = "OUT=METRIC>=X or OUT=METRIC<=X";

    public OutputTolerance {
        if (output.isEmpty() || metric.isEmpty()) {
            throw new IllegalArgumentException("--tolerance needs an output and a metric: " + SYNTAX);
        }
        if (!Double.isFinite(limit)) {
            throw new IllegalArgumentException("--tolerance " + output + "=" + metric + ": the bound must be a finite "
                    + "number, got " + limit);
        }
    }

    /**
     * Parses {@code OUT=METRIC>=X} or {@code OUT=METRIC<=X}; the output name is everything before the last
     * {@code =} ahead of the comparison, so it may hold {@code =} itself. Whether the output and metric exist is
     * {@link ToleranceSet}'s to check, against the model and the registry.
     *
     * @throws IllegalArgumentException with one line quoting the text and the syntax
     */
    public static OutputTolerance parse(String text) {
        String t = text.strip();
        int ge = t.lastIndexOf(">=");
        int le = t.lastIndexOf("<=");
        int op = Math.max(ge, le);
        if (op < 0) {
            throw new IllegalArgumentException("--tolerance " + MessageText.quote(text) + " has no >= or <=; write "
                    + SYNTAX + ", e.g. logits=top1-agree>=0.995");
        }
        String left = t.substring(0, op);
        int eq = left.lastIndexOf('=');
        if (eq <= 0 || eq == left.length() - 1) {
            throw new IllegalArgumentException("--tolerance " + MessageText.quote(text) + " names no output or no "
                    + "metric; write " + SYNTAX + ", e.g. logits=top1-agree>=0.995");
        }
        String number = t.substring(op + 2).strip();
        double limit;
        try {
            limit = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--tolerance " + MessageText.quote(text) + ": "
                    + MessageText.quote(number) + " is not a number", e);
        }
        if (!Double.isFinite(limit) || number.toLowerCase(Locale.ROOT).matches(".*[a-z].*") && !number.matches(
                "[-+0-9.]+[eE][-+]?[0-9]+")) {
            throw new IllegalArgumentException("--tolerance " + MessageText.quote(text) + ": the bound must be a "
                    + "finite number, got " + MessageText.quote(number));
        }
        return new OutputTolerance(left.substring(0, eq).strip(), left.substring(eq + 1).strip(), op == ge, limit);
    }

    /** Whether {@code value} is within the bound; NaN never is. */
    public boolean holds(double value) {
        return atLeast ? value >= limit : value <= limit;
    }

    /** The tolerance as given: {@code logits=top1-agree>=0.995}. */
    public String describe() {
        return output + "=" + metric + (atLeast ? ">=" : "<=") + BuiltinMetrics.trim(limit);
    }

    /** The bound without the output: {@code top1-agree>=0.995}. */
    public String bound() {
        return metric + (atLeast ? ">=" : "<=") + BuiltinMetrics.trim(limit);
    }
}
