package dev.verdant.optimize;

import dev.verdant.optimize.CandidateResult.ModelFacts;
import dev.verdant.optimize.CandidateResult.ThreadMeasurement;

/**
 * One choice the search can make: a candidate model run at one thread count. The Pareto front and the chosen model
 * are operating points.
 *
 * @param candidate    the candidate model
 * @param measurement  its speed and energy at this thread count
 * @param meetsTolerance whether the candidate's quality is within the tolerance
 */
public record OperatingPoint(CandidateResult candidate, ThreadMeasurement measurement, boolean meetsTolerance) {

    /** How tables and the report name it, e.g. {@code int8-dynamic t2}. */
    public String name() {
        return candidate.plan().id() + " t" + measurement.threads();
    }

    public ModelFacts facts() {
        return candidate.facts();
    }

    /** Accuracy, else min cosine fidelity; null when unknown. */
    public Double score() {
        return candidate.quality() == null ? null : candidate.quality().score();
    }
}
