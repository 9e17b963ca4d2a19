package dev.verdant.optimize;

import dev.verdant.report.Search;
import dev.verdant.report.Search.ModelFacts;
import dev.verdant.report.Search.Quality;
import java.util.List;
import java.util.Optional;

/**
 * One finished candidate of the search, as the state file records it: the model it produced, its quality against
 * the original, and its speed and energy at each thread count. A candidate whose recipe could not be applied is
 * kept too (with its error), so a resumed search does not try it again.
 *
 * @param plan           what was tried
 * @param error          why the recipe could not be applied, or null when it was
 * @param modelFile      the candidate model's file (the input itself for the original), or null on error
 * @param facts          size and compute of the model, or null on error
 * @param quality        accuracy or fidelity against the original, or null on error (and for the original until a
 *                       candidate has measured the original's accuracy)
 * @param measurements   speed and energy per thread count, in the order measured
 * @param energyMethod   {@code measured} or {@code estimated}, as the energy module says
 * @param sensitiveNodes the int8 nodes ranked most sensitive first, when the candidate broke its tolerance and the
 *                       search analyzed it; empty otherwise
 * @param seconds        how long building, checking and measuring it took
 */
public record CandidateResult(CandidatePlan plan, String error, String modelFile, ModelFacts facts, Quality quality,
        List<ThreadMeasurement> measurements, String energyMethod, List<String> sensitiveNodes,
        double seconds) {

    public CandidateResult {
        measurements = measurements == null ? List.of() : List.copyOf(measurements);
        sensitiveNodes = sensitiveNodes == null ? List.of() : List.copyOf(sensitiveNodes);
    }

    /** A candidate whose recipe could not be applied. */
    public static CandidateResult failed(CandidatePlan plan, String error, double seconds) {
        return new CandidateResult(plan, error, null, null, null, List.of(), null, List.of(), seconds);
    }

    public boolean succeeded() {
        return error == null;
    }

    /** The same result with {@code quality} (the original's, known once a candidate measured it). */
    public CandidateResult withQuality(Quality newQuality) {
        return new CandidateResult(plan, error, modelFile, facts, newQuality, measurements, energyMethod,
                sensitiveNodes, seconds);
    }

    /** The same result with its model in {@code file} (where the driver of a cluster keeps it). */
    public CandidateResult withModelFile(String file) {
        return new CandidateResult(plan, error, file, facts, quality, measurements, energyMethod, sensitiveNodes,
                seconds);
    }

    /** The measurement at {@code threads}, if taken. */
    public Optional<ThreadMeasurement> at(int threads) {
        return measurements.stream().filter(m -> m.threads() == threads).findFirst();
    }

    /** The candidate as a search result records it (without what only a resumed search needs). */
    public Search.Candidate part() {
        return new Search.Candidate(plan.id(), plan.isOriginal(), error, modelFile, facts, quality, energyMethod,
                seconds);
    }

    /**
     * Speed and energy at one intra-op thread count, from a {@code verdant bench} run of the candidate alone.
     *
     * @param threads                       ONNX Runtime intra-op threads
     * @param batchSize                     examples per run
     * @param millisPerInference            mean run time over the batch size
     * @param p50Millis                     median run time
     * @param p99Millis                     99th percentile run time
     * @param inferencesPerSecond           throughput
     * @param peakResidentBytes             process peak resident memory while it ran (0 where unknown)
     * @param energyJoulesPerInference      IT energy per inference
     * @param co2eGramsPerMillionInferences emissions of a million inferences
     * @param runs                          measured runs
     * @param speedup                       the original's mean run time over this model's, both measured side by
     *                                      side in alternating blocks (1 for the original itself)
     * @param energyRatio                   this model's energy per inference over the original's, side by side
     *                                      (1 for the original itself)
     */
    public record ThreadMeasurement(int threads, int batchSize, double millisPerInference, double p50Millis,
            double p99Millis, double inferencesPerSecond, long peakResidentBytes, double energyJoulesPerInference,
            double co2eGramsPerMillionInferences, int runs, double speedup, double energyRatio) {

        /**
         * The figures to compare candidates by: the original's time and energy at this thread count scaled by the
         * ratios measured side by side with it. Candidates measured minutes apart on a shared machine see
         * different loads; the ratios do not, because both models of a pair ran in alternating blocks.
         */
        public ThreadMeasurement relativeTo(ThreadMeasurement original) {
            return new ThreadMeasurement(threads, batchSize, original.millisPerInference() / speedup, p50Millis,
                    p99Millis, original.inferencesPerSecond() * speedup, peakResidentBytes,
                    original.energyJoulesPerInference() * energyRatio,
                    original.co2eGramsPerMillionInferences() * energyRatio, runs, speedup, energyRatio);
        }
    }
}
