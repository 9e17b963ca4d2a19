package dev.verdant.io;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * The valid name closest to one a user mistyped (an output, a metric, an option key), by edit distance, for the
 * "did you mean" of a one-line error. Only a name within half the length of the typed one is offered, so an
 * unrelated word never is.
 */
public final class NearestName {

    private NearestName() {
    }

    /** The closest of {@code valid} to {@code typed}, ignoring case, if any is close enough to suggest. */
    public static Optional<String> of(String typed, Collection<String> valid) {
        String wanted = typed.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String name : valid) {
            int distance = distance(wanted, name.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = name;
                bestDistance = distance;
            }
        }
        return best != null && bestDistance <= Math.max(2, wanted.length() / 2) ? Optional.of(best) : Optional.empty();
    }

    /**
     * The end of a message about {@code typed}: {@code "; did you mean 'x'?"} when a name is close, else the list
     * of valid names (at most ten), or nothing when there are none.
     */
    public static String suggestion(String typed, Collection<String> valid) {
        Optional<String> near = of(typed, valid);
        if (near.isPresent()) {
            return "; did you mean " + MessageText.quote(near.get()) + "?";
        }
        if (valid.isEmpty()) {
            return "";
        }
        return "; valid: " + String.join(", ", valid.stream().limit(10).toList()) + (valid.size() > 10 ? ", ..." : "");
    }

    /** Levenshtein distance: insertions, deletions and substitutions of one character each cost 1. */
    public static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
