package dev.verdant.optimize;

import dev.verdant.bench.ProcessMemory;
import dev.verdant.energy.Tracker;
import dev.verdant.report.Search;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Where a search's candidates are built, checked and measured: on this machine ({@link #onThisMachine}), or on the
 * executors of a Spark cluster ({@code dev.verdant.spark.SparkCandidates}), the driver keeping the state, the front
 * and the choice either way.
 */
public interface CandidateMeasurer {

    /**
     * Starts measuring the candidates of one search.
     *
     * @throws IllegalArgumentException in one line when the search cannot be measured this way
     */
    Session open(SearchContext context);

    /** The candidates of one search; closed when the search ends. */
    interface Session extends AutoCloseable {

        /** How many candidates it measures at once; 1 measures them one at a time. */
        int parallelism();

        /**
         * Builds, checks and measures {@code plans} (at most {@link #parallelism()}), their results in the plans'
         * order, each candidate's model in the search's candidate folder (the original's is the input).
         *
         * @param nanosLeft what is left of the search's time budget
         */
        List<CandidateBuilder.Built> measure(List<CandidatePlan> plans, long nanosLeft);

        /** Where the candidates were measured, for the report; null for this machine. */
        Search.Executors executors();

        @Override
        void close();
    }

    /** One candidate at a time, in this JVM, energy from {@code tracker}. */
    static CandidateMeasurer onThisMachine(Tracker tracker, ProcessMemory memory, LongSupplier nanoClock) {
        return context -> {
            CandidateBuilder builder = new CandidateBuilder(tracker, memory, nanoClock, context);
            return new Session() {
                @Override
                public int parallelism() {
                    return 1;
                }

                @Override
                public List<CandidateBuilder.Built> measure(List<CandidatePlan> plans, long nanosLeft) {
                    return plans.stream().map(plan -> builder.build(plan, nanosLeft)).toList();
                }

                @Override
                public Search.Executors executors() {
                    return null;
                }

                @Override
                public void close() {
                }
            };
        };
    }
}
