package dev.verdant.quality;

import dev.verdant.io.MessageText;
import dev.verdant.io.NearestName;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The output tolerances of one run, checked against the model's outputs and the metrics a run knows: the ones the
 * user stated, or, when none was, the default of each output's kind ({@link OutputKind#defaultTolerance}) for every
 * output but those that only carry a stateful model's state to its next step.
 *
 * @param stated       the tolerances as given, in order; empty for the defaults
 * @param stateOutputs outputs that feed the next step's inputs (no default tolerance holds them)
 */
public record ToleranceSet(List<OutputTolerance> stated, Set<String> stateOutputs) {

    public ToleranceSet {
        stated = List.copyOf(stated);
        stateOutputs = Set.copyOf(stateOutputs);
    }

    /** No stated tolerance: every output is held to its kind's default. */
    public static ToleranceSet defaults() {
        return new ToleranceSet(List.of(), Set.of());
    }

    /**
     * Refuses, in one line naming it and the nearest valid name, a tolerance on an output the model does not have or
     * with a metric {@code metrics} does not know.
     *
     * @param outputs the model's output names
     * @throws IllegalArgumentException on the first bad tolerance
     */
    public ToleranceSet validate(Collection<String> outputs, MetricRegistry metrics) {
        for (OutputTolerance tolerance : stated) {
            if (!outputs.contains(tolerance.output())) {
                throw new IllegalArgumentException("--tolerance " + tolerance.describe() + ": the model has no output "
                        + MessageText.quote(tolerance.output()) + NearestName.suggestion(tolerance.output(), outputs));
            }
            metrics.require(tolerance.metric(), "--tolerance " + tolerance.describe());
        }
        return this;
    }

    /** Whether the defaults apply (no tolerance was stated). */
    public boolean byDefault() {
        return stated.isEmpty();
    }

    /** The tolerances {@code output} is held to, once its kind is known. */
    public List<OutputTolerance> forOutput(String output, OutputKind kind) {
        if (byDefault()) {
            return stateOutputs.contains(output) ? List.of() : List.of(kind.defaultTolerance(output));
        }
        List<OutputTolerance> mine = new ArrayList<>();
        for (OutputTolerance t : stated) {
            if (t.output().equals(output)) {
                mine.add(t);
            }
        }
        return mine;
    }

    /** The metric names stated for {@code output} (measured from the first example on). */
    List<String> statedMetrics(String output) {
        return stated.stream().filter(t -> t.output().equals(output)).map(OutputTolerance::metric).toList();
    }
}
