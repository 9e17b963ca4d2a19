package dev.verdant.runtime;

import dev.verdant.io.MessageText;
import dev.verdant.io.NearestName;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which output of a stateful model feeds which of its inputs at the next step, as {@code --state OUT=IN} declares
 * it (Silero VAD: {@code stateN=state}): what {@link SequenceRunner} carries from step to step.
 *
 * @param links output name to the input name it feeds, in the order given
 */
public record StateLinks(Map<String, String> links) {

    public StateLinks {
        links = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(links));
    }

    /** No state: every step stands alone. */
    public static StateLinks none() {
        return new StateLinks(Map.of());
    }

    /**
     * Parses the values of {@code --state}, each {@code OUT=IN}.
     *
     * @throws IllegalArgumentException with one line quoting a value that is not {@code OUT=IN}, or an input fed
     *                                  twice
     */
    public static StateLinks parse(List<String> values) {
        Map<String, String> links = new LinkedHashMap<>();
        for (String value : values) {
            int eq = value.indexOf('=');
            if (eq <= 0 || eq == value.length() - 1 || value.indexOf('=', eq + 1) >= 0) {
                throw new IllegalArgumentException("--state " + MessageText.quote(value) + " is not OUT=IN (the "
                        + "output of one step that feeds the input of the next, e.g. stateN=state)");
            }
            String out = value.substring(0, eq).strip();
            String in = value.substring(eq + 1).strip();
            if (links.containsValue(in) || links.containsKey(out)) {
                throw new IllegalArgumentException("--state " + MessageText.quote(value) + ": " + MessageText.quote(
                        links.containsKey(out) ? out : in) + " is already linked");
            }
            links.put(out, in);
        }
        return new StateLinks(links);
    }

    /** Whether the model is run as sequences. */
    public boolean isEmpty() {
        return links.isEmpty();
    }

    /**
     * Refuses, in one line naming it and the nearest valid name, a link from an output the model does not have or
     * to an input it does not read.
     */
    public StateLinks validate(Collection<String> outputs, Collection<String> inputs) {
        links.forEach((out, in) -> {
            if (!outputs.contains(out)) {
                throw new IllegalArgumentException("--state " + out + "=" + in + ": the model has no output "
                        + MessageText.quote(out) + NearestName.suggestion(out, outputs));
            }
            if (!inputs.contains(in)) {
                throw new IllegalArgumentException("--state " + out + "=" + in + ": the model has no input "
                        + MessageText.quote(in) + NearestName.suggestion(in, inputs));
            }
        });
        return this;
    }

    /** The inputs the links feed. */
    public Collection<String> stateInputs() {
        return links.values();
    }
}
