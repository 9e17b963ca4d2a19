package dev.verdant.report;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The non-dominated items under any number of criteria: an item is on the front when no other item is at least as
 * good on every criterion and better on one. The one dominance rule of Verdant: the optimizer keeps the front of
 * accuracy (or fidelity), energy per inference and size, and the report's chart flags the front of two of them
 * ({@link ParetoFront}).
 */
public final class ParetoSet {

    private ParetoSet() {
    }

    /**
     * One criterion.
     *
     * @param value          the item's value; null when unknown (an unknown value loses to any known one)
     * @param higherIsBetter whether larger values are better
     * @param <T>            the item type
     */
    public record Criterion<T>(Function<T, Double> value, boolean higherIsBetter) {
        public static <T> Criterion<T> lower(Function<T, Double> value) {
            return new Criterion<>(value, false);
        }

        public static <T> Criterion<T> higher(Function<T, Double> value) {
            return new Criterion<>(value, true);
        }
    }

    /** The front of {@code items}, in their order. Equal items are all on it. */
    public static <T> List<T> front(List<T> items, List<Criterion<T>> criteria) {
        if (criteria.isEmpty()) {
            throw new IllegalArgumentException("a Pareto front needs at least one criterion");
        }
        List<T> front = new ArrayList<>();
        for (T item : items) {
            if (items.stream().noneMatch(other -> other != item && dominates(other, item, criteria))) {
                front.add(item);
            }
        }
        return front;
    }

    /** Whether {@code a} is at least as good as {@code b} on every criterion and better on one. */
    public static <T> boolean dominates(T a, T b, List<Criterion<T>> criteria) {
        boolean better = false;
        for (Criterion<T> criterion : criteria) {
            int order = compare(criterion, a, b);
            if (order < 0) {
                return false;
            }
            better |= order > 0;
        }
        return better;
    }

    /** Positive when {@code a} is better on the criterion, negative when worse, 0 when equal or both unknown. */
    private static <T> int compare(Criterion<T> criterion, T a, T b) {
        Double va = known(criterion.value().apply(a));
        Double vb = known(criterion.value().apply(b));
        if (va == null || vb == null) {
            return va != null ? 1 : vb != null ? -1 : 0;
        }
        int order = Double.compare(va, vb);
        return criterion.higherIsBetter() ? order : -order;
    }

    private static Double known(Double value) {
        return value == null || value.isNaN() ? null : value;
    }
}
