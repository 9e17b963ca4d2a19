package dev.verdant.compress;

import dev.verdant.quality.MetricRegistry;
import dev.verdant.quality.OutputTolerance;
import dev.verdant.quality.ToleranceSet;
import dev.verdant.runtime.StateLinks;
import java.util.List;
import java.util.Objects;

/**
 * How a compress run judges every output of the result: the tolerances stated per output ({@code --tolerance}),
 * the state links of a stateful model ({@code --state}) and the metrics a tolerance may name (the built-ins and the
 * {@code --plugin} jars'; the caller owns and closes the registry).
 *
 * @param tolerances the tolerances as given; empty for the defaults of each output's kind, which the report shows
 *                   but which fail a compress run only when stated
 * @param states     which output feeds which input at the next step; empty for a model without state
 * @param metrics    where metric names are looked up
 * @param enforce    whether a broken stated tolerance fails the run (and keeps the output unwritten), as
 *                   {@code verdant compress} does; optimize judges its candidates itself and keeps every one
 */
public record QualitySpec(List<OutputTolerance> tolerances, StateLinks states, MetricRegistry metrics,
        boolean enforce) {

    public QualitySpec {
        tolerances = List.copyOf(tolerances);
        Objects.requireNonNull(states, "states");
        Objects.requireNonNull(metrics, "metrics");
    }

    /** Tolerances that fail a compress run when broken. */
    public QualitySpec(List<OutputTolerance> tolerances, StateLinks states, MetricRegistry metrics) {
        this(tolerances, states, metrics, true);
    }

    /** No tolerance, no state, the built-in metrics and those on the class path. */
    public static QualitySpec none() {
        return new QualitySpec(List.of(), StateLinks.none(), MetricRegistry.standard());
    }

    /** The same judgement, reported but not enforced: what optimize asks of each candidate's compress run. */
    public QualitySpec reportedOnly() {
        return new QualitySpec(tolerances, states, metrics, false);
    }

    /** The tolerances, with the outputs that only carry state excluded from the defaults. */
    public ToleranceSet toleranceSet() {
        return new ToleranceSet(tolerances, states.links().keySet());
    }
}
