package dev.verdant.optimize;

/** Follows a search as it goes, for a progress bar or a log; every method does nothing by default. */
public interface SearchListener {

    /**
     * The search begins.
     *
     * @param resumed candidates a previous run finished, skipped now
     * @param planned candidates planned in all (it grows when a fallback is opened)
     */
    default void searchStarted(int resumed, int planned) {
    }

    /** A candidate starts; {@code done} were finished before it (resumed ones included) out of {@code planned}. */
    default void candidateStarted(CandidatePlan plan, int done, int planned) {
    }

    /** A candidate finished (built, checked and measured, or failed to build). */
    default void candidateFinished(CandidateResult result, boolean meetsTolerance, int done, int planned) {
    }

    /** The search ended: everything planned was done, or the budget was spent. */
    default void searchFinished(int done, int skipped) {
    }

    /** A listener that ignores everything. */
    static SearchListener none() {
        return new SearchListener() {
        };
    }
}
