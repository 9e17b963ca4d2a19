package dev.verdant.optimize;

import dev.verdant.optimize.CandidateResult.ThreadMeasurement;
import dev.verdant.report.Search;
import dev.verdant.report.Search.ModelFacts;

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

    /** The point as a search result records it, with its value of the search's objective ({@link Objective#value}). */
    public Search.Point part(double objectiveValue) {
        return new Search.Point(name(), candidate.plan().id(), measurement.threads(), measurement.batchSize(),
                measurement.millisPerInference(), measurement.p50Millis(), measurement.p99Millis(),
                measurement.inferencesPerSecond(), measurement.peakResidentBytes(),
                measurement.energyJoulesPerInference(), measurement.co2eGramsPerMillionInferences(),
                objectiveValue, meetsTolerance);
    }

    /** Accuracy, else min cosine fidelity; null when unknown. */
    public Double score() {
        return candidate.quality() == null ? null : candidate.quality().score();
    }
}
