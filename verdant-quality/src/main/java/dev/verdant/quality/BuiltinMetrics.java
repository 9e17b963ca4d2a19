package dev.verdant.quality;

import dev.verdant.runtime.EvaluationSums;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The measures Verdant brings: cosine similarity per example (its minimum, {@code cos}, and mean,
 * {@code cos-mean}), the largest absolute ({@code max-abs}) and relative ({@code max-rel}) error of any value,
 * argmax agreement along the last axis ({@code top1-agree}), top-k overlap ({@code top5-overlap}, any
 * {@code topK-overlap}) and the intersection over union of maps thresholded at T ({@code iou@0.5}, any
 * {@code iou@T}).
 */
public final class BuiltinMetrics {

    /** The names of the built-in families, as a message lists them. */
    public static final List<String> NAMES = List.of("cos", "cos-mean", "max-abs", "max-rel", "top1-agree",
            "top5-overlap", "iou@0.5");

    private static final Pattern TOP_K = Pattern.compile("top([1-9][0-9]{0,3})-overlap");
    private static final Pattern IOU = Pattern.compile("iou@([0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?|-[0-9]*\\.?[0-9]+)");

    private BuiltinMetrics() {
    }

    /** The built-in metric {@code name} names, if it is one ({@code top3-overlap} and {@code iou@0.3} included). */
    public static Optional<QualityMetric> named(String name) {
        QualityMetric fixed = FIXED.get(name);
        if (fixed != null) {
            return Optional.of(fixed);
        }
        Matcher topK = TOP_K.matcher(name);
        if (topK.matches()) {
            return Optional.of(new TopKOverlap(Integer.parseInt(topK.group(1))));
        }
        Matcher iou = IOU.matcher(name);
        if (iou.matches()) {
            return Optional.of(new ThresholdIou(Double.parseDouble(iou.group(1))));
        }
        return Optional.empty();
    }

    /** Whether a plugin may not take {@code name}: a built-in has it. */
    static boolean reserved(String name) {
        return named(name).isPresent() || name.startsWith("iou@") || name.matches("top[0-9]+-overlap");
    }

    /**
     * A built-in metric that takes no parameter: its name, what it measures and how.
     *
     * @param name        the name a tolerance gives it
     * @param description one line: what the figure is and which way is better
     * @param accumulator makes a fresh accumulator for one output of one comparison
     */
    public record Fixed(String name, String description, Supplier<Accumulator> accumulator) implements QualityMetric {
        @Override
        public Accumulator start() {
            return accumulator.get();
        }
    }

    /** The floor of max-rel's denominator, as a share of the example's largest magnitude. */
    public static final double RELATIVE_ERROR_FLOOR = 0.01;

    /**
     * The metrics without a parameter, by name: the lowest and the mean cosine similarity of an example's values to
     * the original's (1 when both are all zeros), the largest absolute and relative difference of any value (the
     * relative one over |original| floored at {@link #RELATIVE_ERROR_FLOOR} of the example's largest magnitude, so a
     * value that is 0 in the original and 1e-7 in the candidate is not an infinite error) and the share of vectors
     * along the last axis (every row, position and step) whose argmax agrees.
     */
    private static final Map<String, QualityMetric> FIXED = Stream.of(
            new Fixed("cos", "lowest cosine similarity of an example's values to the original's (higher is better)",
                    () -> new Extremum(pair -> EvaluationSums.cosine(pair.reference(), pair.candidate()), false)),
            new Fixed("cos-mean", "mean cosine similarity of an example's values to the original's (higher is better)",
                    () -> new Mean(pair -> EvaluationSums.cosine(pair.reference(), pair.candidate()), 1)),
            new Fixed("max-abs", "largest absolute difference of any value from the original's (lower is better)",
                    () -> new Extremum(pair -> largestError(pair, 0), true)),
            new Fixed("max-rel", "largest |candidate - original| / |original| of any value, |original| at least 1% of "
                    + "the example's largest (lower is better)",
                    () -> new Extremum(BuiltinMetrics::largestRelativeError, true)),
            new Fixed("top1-agree", "share of rows (vectors along the last axis) whose argmax is the original's "
                    + "(higher is better)", () -> new Mean(BuiltinMetrics::argmaxAgreements, 0)))
            .collect(Collectors.toUnmodifiableMap(QualityMetric::name, metric -> metric));

    private static double largestRelativeError(OutputPair pair) {
        double peak = 0;
        for (float v : pair.reference()) {
            peak = Math.max(peak, Math.abs(v));
        }
        return largestError(pair, Math.max(peak * RELATIVE_ERROR_FLOOR, Double.MIN_NORMAL));
    }

    /** How many of an example's rows have the original's argmax. */
    private static double argmaxAgreements(OutputPair pair) {
        int n = pair.lastAxis();
        double agree = 0;
        for (int r = 0; r < pair.rows(); r++) {
            agree += argmax(pair.reference(), r * n, n) == argmax(pair.candidate(), r * n, n) ? 1 : 0;
        }
        return agree;
    }

    /** The mean share of the original's k largest values, per row, that are among the candidate's k largest. */
    public record TopKOverlap(int k) implements QualityMetric {
        public TopKOverlap {
            if (k < 1) {
                throw new IllegalArgumentException("top-k overlap needs k of at least 1, got " + k);
            }
        }

        @Override
        public String name() {
            return "top" + k + "-overlap";
        }

        @Override
        public String description() {
            return "mean share of a row's " + k + " largest values that are the original's " + k + " largest "
                    + "(higher is better)";
        }

        @Override
        public Accumulator start() {
            return new Mean(pair -> {
                int n = pair.lastAxis();
                int kept = Math.min(k, n);
                double sum = 0;
                for (int r = 0; r < pair.rows(); r++) {
                    int[] a = topK(pair.reference(), r * n, n, kept);
                    int[] b = topK(pair.candidate(), r * n, n, kept);
                    int common = 0;
                    for (int x : a) {
                        for (int y : b) {
                            common += x == y ? 1 : 0;
                        }
                    }
                    sum += (double) common / kept;
                }
                return sum;
            }, 0);
        }
    }

    /**
     * The lowest, over examples, intersection over union of the values above {@code threshold} in the original and
     * in the candidate (1 when neither has any): how well a thresholded map, such as a text detector's probability
     * map, keeps its regions.
     */
    public record ThresholdIou(double threshold) implements QualityMetric {
        public ThresholdIou {
            if (!Double.isFinite(threshold)) {
                throw new IllegalArgumentException("iou@T needs a finite threshold, got " + threshold);
            }
        }

        @Override
        public String name() {
            return "iou@" + trim(threshold);
        }

        @Override
        public String description() {
            return "lowest intersection over union, over examples, of the values above " + trim(threshold)
                    + " (higher is better)";
        }

        @Override
        public Accumulator start() {
            return new Extremum(pair -> {
                long both = 0;
                long either = 0;
                for (int i = 0; i < pair.reference().length; i++) {
                    boolean a = pair.reference()[i] > threshold;
                    boolean b = pair.candidate()[i] > threshold;
                    both += a && b ? 1 : 0;
                    either += a || b ? 1 : 0;
                }
                return either == 0 ? 1 : (double) both / either;
            }, false);
        }
    }

    /** A number as a tolerance writes it: {@code 0.5}, {@code 1}. */
    static String trim(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value)
                : String.format(Locale.ROOT, "%s", value);
    }

    /**
     * The largest |candidate - original| of an example, over |original| floored at {@code floor} when
     * {@code floor} is above 0 (absolute when it is 0); NaN when any difference is.
     */
    static double largestError(OutputPair pair, double floor) {
        double max = 0;
        for (int i = 0; i < pair.reference().length; i++) {
            double diff = Math.abs((double) pair.reference()[i] - pair.candidate()[i]);
            if (Double.isNaN(diff)) {
                return Double.NaN;
            }
            max = Math.max(max, floor > 0 ? diff / Math.max(Math.abs(pair.reference()[i]), floor) : diff);
        }
        return max;
    }

    static int argmax(float[] values, int offset, int length) {
        int best = 0;
        for (int i = 1; i < length; i++) {
            if (values[offset + i] > values[offset + best]) {
                best = i;
            }
        }
        return best;
    }

    /** The indices of the {@code k} largest values of {@code values[offset, offset + length)}, ties to the lower. */
    static int[] topK(float[] values, int offset, int length, int k) {
        int[] best = new int[k];
        int count = 0;
        for (int i = 0; i < length; i++) {
            float v = values[offset + i];
            int at = count;
            while (at > 0 && values[offset + best[at - 1]] < v) {
                at--;
            }
            if (at < k) {
                System.arraycopy(best, at, best, at + 1, Math.min(count, k - 1) - at);
                best[at] = i;
                count = Math.min(count + 1, k);
            }
        }
        return best;
    }

    /** A figure per example; the metric is its lowest or its highest. */
    private static final class Extremum implements QualityMetric.Accumulator {
        private final java.util.function.ToDoubleFunction<OutputPair> perExample;
        private final boolean highest;
        private double value = Double.NaN;
        private boolean broken;

        Extremum(java.util.function.ToDoubleFunction<OutputPair> perExample, boolean highest) {
            this.perExample = perExample;
            this.highest = highest;
        }

        @Override
        public void add(OutputPair pair) {
            if (broken) {
                return; // the NaN already is the figure: the rest need not be computed
            }
            double figure = perExample.applyAsDouble(pair);
            if (Double.isNaN(figure)) {
                // a NaN anywhere is the figure: it fails every tolerance
                broken = true;
                value = Double.NaN;
            } else {
                value = Double.isNaN(value) ? figure : highest ? Math.max(value, figure) : Math.min(value, figure);
            }
        }

        @Override
        public double value() {
            return value;
        }
    }

    /**
     * A sum per example over a count per example (rows, or 1 when {@code perExampleCount} is 1); the metric is the
     * sum of sums over the sum of counts.
     */
    private static final class Mean implements QualityMetric.Accumulator {
        private final java.util.function.ToDoubleFunction<OutputPair> perExample;
        private final int perExampleCount;
        private double sum;
        private long count;

        /** @param perExampleCount 1 to average per example, 0 to average per row */
        Mean(java.util.function.ToDoubleFunction<OutputPair> perExample, int perExampleCount) {
            this.perExample = perExample;
            this.perExampleCount = perExampleCount;
        }

        @Override
        public void add(OutputPair pair) {
            sum += perExample.applyAsDouble(pair);
            count += perExampleCount == 1 ? 1 : pair.rows();
        }

        @Override
        public double value() {
            return count == 0 ? Double.NaN : sum / count;
        }
    }
}
