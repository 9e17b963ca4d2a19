package dev.verdant.optimize;

import dev.verdant.report.Search.Quality;
import dev.verdant.quality.OutputTolerance;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * What a candidate must keep to be chosen: accuracy within a drop of the original's (relative, as Intel Neural
 * Compressor states it, or in points), a minimum cosine fidelity of its outputs to the original's, or every
 * output within its own tolerance ({@code --tolerance}, or the default of the output's kind).
 */
public sealed interface Tolerance extends Serializable
        permits Tolerance.AccuracyDrop, Tolerance.MinFidelity, Tolerance.OutputTolerances {

    /** Whether {@code quality} is within the tolerance. An unmeasured figure never is. */
    boolean holds(Quality quality);

    /** The tolerance as one phrase, e.g. {@code accuracy drop at most 1% relative}. */
    String describe();

    /**
     * Top-1 accuracy may fall by at most {@code amount}: a percentage of the original's accuracy when
     * {@code relative}, else percentage points.
     *
     * @param amount   the largest drop allowed, at least 0
     * @param relative relative to the original's accuracy (INC's default criterion) rather than absolute points
     */
    record AccuracyDrop(double amount, boolean relative) implements Tolerance {
        public AccuracyDrop {
            if (!(amount >= 0) || amount > 100) {
                throw new IllegalArgumentException("--max-accuracy-drop must be between 0 and 100, got " + amount);
            }
        }

        /**
         * Parses {@code 1%} (relative to the original's accuracy) or {@code 1pt} / {@code 1} (points).
         *
         * @throws IllegalArgumentException with one line for anything else
         */
        public static AccuracyDrop parse(String text) {
            String t = text.strip().toLowerCase(Locale.ROOT);
            boolean relative = t.endsWith("%");
            String number = relative ? t.substring(0, t.length() - 1)
                    : t.endsWith("pt") ? t.substring(0, t.length() - 2)
                    : t.endsWith("points") ? t.substring(0, t.length() - 6) : t;
            try {
                return new AccuracyDrop(Double.parseDouble(number.strip()), relative);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--max-accuracy-drop takes 1% (relative to the original's "
                        + "accuracy) or 1pt (points), got '" + text + "'", e);
            }
        }

        @Override
        public boolean holds(Quality quality) {
            if (quality.accuracy() == null || quality.originalAccuracy() == null) {
                return false;
            }
            double dropPoints = (quality.originalAccuracy() - quality.accuracy()) * 100;
            double allowedPoints = relative ? quality.originalAccuracy() * amount : amount;
            // a hair of slack so that equal accuracies read from floats never fail a zero tolerance
            return dropPoints <= allowedPoints + 1e-9;
        }

        @Override
        public String describe() {
            return String.format(Locale.ROOT, "accuracy drop at most %s", relative
                    ? trim(amount) + "% relative" : trim(amount) + " points");
        }
    }

    /**
     * Every checked example's output must have at least this cosine similarity to the original's (mean-pooled
     * embeddings for encoders), as {@code verdant compress --min-fidelity} checks.
     *
     * @param minCosine the lowest cosine allowed, in [-1, 1]
     */
    record MinFidelity(double minCosine) implements Tolerance {
        public MinFidelity {
            if (!(minCosine >= -1 && minCosine <= 1)) {
                throw new IllegalArgumentException("--min-fidelity is a cosine similarity in [-1, 1], got "
                        + minCosine);
            }
        }

        @Override
        public boolean holds(Quality quality) {
            return quality.minCosine() != null && quality.minCosine() >= minCosine;
        }

        @Override
        public String describe() {
            return "min cosine fidelity at least " + trim(minCosine);
        }
    }

    /**
     * Every output of the candidate within its tolerance on the real inputs, as compress's per-output rows judge it:
     * the ones stated, or, when none is, the default of each output's kind (a probability map's IoU, logits' argmax
     * agreement, features' cosine).
     *
     * @param stated the tolerances as given; empty for the defaults
     */
    record OutputTolerances(List<OutputTolerance> stated) implements Tolerance {
        public OutputTolerances {
            stated = List.copyOf(stated);
        }

        @Override
        public boolean holds(Quality quality) {
            return Boolean.TRUE.equals(quality.outputsHeld());
        }

        @Override
        public String describe() {
            return stated.isEmpty() ? "every output within its kind's default tolerance"
                    : "outputs within " + String.join(", ", stated.stream().map(OutputTolerance::describe).toList());
        }
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
