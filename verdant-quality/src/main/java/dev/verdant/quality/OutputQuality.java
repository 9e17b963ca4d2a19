package dev.verdant.quality;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one output of the compressed model compares with the original's over the check set: its kind, every measure
 * taken, and each tolerance it is held to with the figure and whether it held.
 *
 * @param output   the output's name in the original
 * @param kind     what the output looks like
 * @param examples how many examples (sequences, for a stateful model) were compared
 * @param measures each measure by metric name ({@code cos}, {@code max-abs}, ...), in the order taken
 * @param verdicts each tolerance and its outcome; empty when none holds this output
 */
public record OutputQuality(String output, OutputKind kind, int examples, Map<String, Double> measures,
        List<Verdict> verdicts) {

    public OutputQuality {
        measures = Collections.unmodifiableMap(new LinkedHashMap<>(measures));
        verdicts = List.copyOf(verdicts);
    }

    /** Whether every tolerance on this output held (true when there is none). */
    public boolean passed() {
        return verdicts.stream().allMatch(Verdict::passed);
    }

    /**
     * One tolerance checked.
     *
     * @param tolerance the tolerance
     * @param value     the measured figure
     * @param passed    whether it held
     * @param byDefault whether it is the default of the output's kind rather than one the user stated
     */
    public record Verdict(OutputTolerance tolerance, double value, boolean passed, boolean byDefault) {
    }
}
