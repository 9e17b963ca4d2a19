package dev.verdant.compress.prune;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What magnitude pruning aims for: one sparsity over all weights together, the same sparsity in every layer, a sparsity per layer, or an
 * N:M pattern (N weights kept in every group of M along the reduction axis, as 2:4 sparse tensor cores want).
 */
public sealed interface PruningTarget {

    /** How recipes and reports spell the target, e.g. {@code 0.9}, {@code 0.9/layer}, {@code 2:4}. */
    String spec();

    /**
     * The smallest-magnitude fraction of all weights, chosen with one threshold over every layer, so layers with
     * small weights lose more.
     *
     * @param sparsity the fraction of weights set to zero, in [0, 1)
     */
    record Global(double sparsity) implements PruningTarget {
        public Global {
            checkSparsity(sparsity);
        }

        @Override
        public String spec() {
            return Double.toString(sparsity);
        }
    }

    /**
     * The smallest-magnitude fraction of each layer's weights, with a threshold per layer.
     *
     * @param sparsity the fraction of weights set to zero in every layer, in [0, 1)
     */
    record PerLayer(double sparsity) implements PruningTarget {
        public PerLayer {
            checkSparsity(sparsity);
        }

        @Override
        public String spec() {
            return sparsity + "/layer";
        }
    }

    /**
     * A sparsity of its own for each layer (weights not named keep all their values), as a sensitivity analysis
     * chooses them ({@link PruningSensitivity}).
     *
     * @param sparsities the fraction of each named weight set to zero, each in [0, 1)
     */
    record Layers(Map<String, Double> sparsities) implements PruningTarget {
        public Layers {
            sparsities = Collections.unmodifiableMap(new LinkedHashMap<>(sparsities));
            sparsities.values().forEach(PruningTarget::checkSparsity);
        }

        /** The sparsity of one weight, 0 for a weight not named. */
        public double sparsityOf(String tensor) {
            return sparsities.getOrDefault(tensor, 0.0);
        }

        /** The highest of the layers' sparsities (0 when none is named). */
        public double max() {
            return sparsities.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        }

        @Override
        public String spec() {
            return "per layer " + sparsities;
        }
    }

    /**
     * In every group of {@code groupSize} consecutive weights along the reduction axis, the {@code kept} largest
     * magnitudes stay and the rest become zero.
     *
     * @param kept      N, weights kept per group, 1 to groupSize - 1
     * @param groupSize M, the group length
     */
    record NOfM(int kept, int groupSize) implements PruningTarget {
        public NOfM {
            if (groupSize < 2 || kept < 1 || kept >= groupSize) {
                throw new IllegalArgumentException("an N:M pattern needs 1 <= N < M, got " + kept + ":" + groupSize);
            }
        }

        @Override
        public String spec() {
            return kept + ":" + groupSize;
        }

        /** The sparsity the pattern gives every layer it applies to. */
        public double sparsity() {
            return 1.0 - (double) kept / groupSize;
        }
    }

    /**
     * Parses {@code 0.9} or {@code 90%} (global), {@code 0.9/layer} (per layer) and {@code 2:4} (N:M).
     *
     * @throws IllegalArgumentException with one line saying what is accepted
     */
    static PruningTarget parse(String spec) {
        String text = spec.strip().toLowerCase(Locale.ROOT);
        try {
            if (text.contains(":")) {
                String[] parts = text.split(":", -1);
                if (parts.length != 2) {
                    throw new NumberFormatException(text);
                }
                return new NOfM(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
            }
            boolean perLayer = text.endsWith("/layer");
            String number = perLayer ? text.substring(0, text.length() - "/layer".length()).strip() : text;
            double sparsity = number.endsWith("%")
                    ? Double.parseDouble(number.substring(0, number.length() - 1)) / 100.0
                    : Double.parseDouble(number);
            return perLayer ? new PerLayer(sparsity) : new Global(sparsity);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cannot read pruning target '" + spec
                    + "'; expected a sparsity like 0.9 or 90%, 0.9/layer, or an N:M pattern like 2:4", e);
        }
    }

    private static void checkSparsity(double sparsity) {
        if (!(sparsity >= 0.0 && sparsity < 1.0)) {
            throw new IllegalArgumentException("sparsity must be in [0, 1), got " + sparsity);
        }
    }
}
