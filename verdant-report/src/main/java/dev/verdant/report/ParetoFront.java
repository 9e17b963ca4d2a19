package dev.verdant.report;

import dev.verdant.report.Report.Candidate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The candidates no other candidate beats on both of two objectives (at least as good on both, better on one):
 * the trade-offs worth choosing among. The report's chart plots the same two objectives and highlights this front.
 */
public final class ParetoFront {

    private ParetoFront() {
    }

    /** A figure a candidate is judged on, and which way is better. */
    public enum Objective {
        /** Accuracy or fidelity, higher is better. */
        ACCURACY("accuracy", "", true, Candidate::accuracy, 100),
        /** Energy per inference, lower is better (plotted in millijoules). */
        ENERGY("energy per inference", "mJ", false, Candidate::energyJoulesPerInference, 1e3),
        /** Time per inference, lower is better. */
        LATENCY("time per inference", "ms", false, Candidate::latencyMillis, 1),
        /** File size, lower is better (plotted in megabytes). */
        SIZE("size", "MB", false, c -> c.sizeBytes() == null ? null : c.sizeBytes().doubleValue(), 1e-6);

        private final String label;
        private final String unit;
        private final boolean higherIsBetter;
        private final Function<Candidate, Double> getter;
        private final double displayScale;

        Objective(String label, String unit, boolean higherIsBetter, Function<Candidate, Double> getter,
                  double displayScale) {
            this.label = label;
            this.unit = unit;
            this.higherIsBetter = higherIsBetter;
            this.getter = getter;
            this.displayScale = displayScale;
        }

        /** The axis title, with its unit. */
        public String axisTitle() {
            return this == ACCURACY ? "accuracy / fidelity (%)" : label + " (" + unit + ")";
        }

        public boolean higherIsBetter() {
            return higherIsBetter;
        }

        /** The candidate's value in the objective's own unit (J, ms, bytes, fraction), if known. */
        public Optional<Double> value(Candidate candidate) {
            Double v = getter.apply(candidate);
            return v == null || v.isNaN() || v.isInfinite() ? Optional.empty() : Optional.of(v);
        }

        /** The value as the chart shows it (mJ, ms, MB, %). */
        public double display(double value) {
            return value * displayScale;
        }

        boolean knownForAll(List<Candidate> candidates) {
            return !candidates.isEmpty() && candidates.stream().allMatch(c -> value(c).isPresent());
        }
    }

    /**
     * The two objectives of a chart and its front.
     *
     * @param x the horizontal axis
     * @param y the vertical axis
     */
    public record Objectives(Objective x, Objective y) {
        public Objectives {
            if (x == y) {
                throw new IllegalArgumentException("a Pareto chart needs two different objectives, got " + x + " twice");
            }
        }
    }

    /**
     * The objectives the candidates' figures allow: energy (else time, else size) across, accuracy (else time, else
     * size) up. Empty when fewer than two objectives are known for every candidate.
     */
    public static Optional<Objectives> choose(List<Candidate> candidates) {
        List<Objective> xs = List.of(Objective.ENERGY, Objective.LATENCY, Objective.SIZE);
        List<Objective> ys = List.of(Objective.ACCURACY, Objective.LATENCY, Objective.SIZE);
        for (Objective x : xs) {
            if (!x.knownForAll(candidates)) {
                continue;
            }
            for (Objective y : ys) {
                if (y != x && y.knownForAll(candidates)) {
                    return Optional.of(new Objectives(x, y));
                }
            }
        }
        return Optional.empty();
    }

    /** {@code report} with every candidate's Pareto flag recomputed on {@code objectives}. */
    public static Report flagged(Report report, Objectives objectives) {
        return report.withCandidates(flag(report.candidates(), objectives));
    }

    /** The candidates with {@code pareto} set exactly for those on the front of the two objectives. */
    public static List<Candidate> flag(List<Candidate> candidates, Objectives objectives) {
        List<Candidate> flagged = new ArrayList<>();
        for (Candidate c : candidates) {
            boolean dominated = candidates.stream().anyMatch(other -> other != c && dominates(other, c, objectives));
            flagged.add(c.withPareto(!dominated));
        }
        return flagged;
    }

    /**
     * Whether {@code a} is at least as good as {@code b} on both objectives and better on one, by {@link ParetoSet}'s
     * rule (a value not known, or not finite, loses to a known one).
     */
    static boolean dominates(Candidate a, Candidate b, Objectives objectives) {
        return ParetoSet.dominates(a, b, List.of(criterion(objectives.x()), criterion(objectives.y())));
    }

    private static ParetoSet.Criterion<Candidate> criterion(Objective objective) {
        return new ParetoSet.Criterion<>(c -> objective.value(c).orElse(null), objective.higherIsBetter());
    }
}
