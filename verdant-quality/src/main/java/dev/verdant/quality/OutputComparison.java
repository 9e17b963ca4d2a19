package dev.verdant.quality;

import dev.verdant.runtime.OrtRunner.Output;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares every float output of a compressed model with the original's, example by example: a batch is cut into
 * its examples along the first axis, and a stateful model's sequence is one example holding every step's values.
 * Each output gets the measures of its kind ({@link OutputKind}) and those its tolerances name, and
 * {@link #result()} holds each output to its tolerances.
 *
 * <p>Outputs pair by name, or by position when the candidate names them differently (another export of the same
 * model), as compress's fidelity has always paired them.
 */
public final class OutputComparison {

    /** The measures every output's row shows. */
    static final List<String> ALWAYS = List.of("cos", "cos-mean", "max-abs", "max-rel");
    /** A row sums to 1 within this, for a softmax output. */
    private static final double SUM_SLACK = 1e-3;

    private final ToleranceSet tolerances;
    private final MetricRegistry metrics;
    private final Map<String, Measured> outputs = new LinkedHashMap<>();

    /** @param metrics where the tolerances' metrics are found (plugins included) */
    public OutputComparison(ToleranceSet tolerances, MetricRegistry metrics) {
        this.tolerances = tolerances;
        this.metrics = metrics;
    }

    /**
     * Compares one batch of a one-step model.
     *
     * @param batch the examples in the batch: an output whose first axis is this long is cut into them
     */
    public void addBatch(Map<String, Output> reference, Map<String, Output> candidate, int batch) {
        List<Map.Entry<String, Output[]>> pairs = pair(reference, candidate);
        for (Map.Entry<String, Output[]> entry : pairs) {
            Output a = entry.getValue()[0];
            Output b = entry.getValue()[1];
            requireSameSize(entry.getKey(), a, b);
            long[] shape = a.shape();
            int examples = shape.length > 0 && shape[0] == batch && batch > 1 ? batch : 1;
            int per = a.values().length / examples;
            long[] exampleShape = examples == 1 ? shape : withBatchOne(shape);
            for (int e = 0; e < examples; e++) {
                measured(entry.getKey(), exampleShape).add(new OutputPair(entry.getKey(), exampleShape, 1,
                        Arrays.copyOfRange(a.values(), e * per, (e + 1) * per),
                        Arrays.copyOfRange(b.values(), e * per, (e + 1) * per)));
            }
        }
    }

    /**
     * Compares one whole sequence of a stateful model (each model run with its own state from step to step): every
     * output's values over all steps are one example.
     */
    public void addSequence(List<Map<String, Output>> reference, List<Map<String, Output>> candidate) {
        if (reference.size() != candidate.size() || reference.isEmpty()) {
            throw new IllegalStateException("the sequences differ in length: " + reference.size() + " and "
                    + candidate.size() + " steps");
        }
        Map<String, List<float[]>> left = new LinkedHashMap<>();
        Map<String, List<float[]>> right = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (int step = 0; step < reference.size(); step++) {
            for (Map.Entry<String, Output[]> entry : pair(reference.get(step), candidate.get(step))) {
                requireSameSize(entry.getKey(), entry.getValue()[0], entry.getValue()[1]);
                shapes.putIfAbsent(entry.getKey(), entry.getValue()[0].shape());
                left.computeIfAbsent(entry.getKey(), k -> new ArrayList<>()).add(entry.getValue()[0].values());
                right.computeIfAbsent(entry.getKey(), k -> new ArrayList<>()).add(entry.getValue()[1].values());
            }
        }
        for (String name : left.keySet()) {
            float[] a = concat(left.get(name));
            float[] b = concat(right.get(name));
            if (a.length != b.length || left.get(name).size() != reference.size()) {
                throw new IllegalStateException("output '" + name + "' changes size from step to step");
            }
            measured(name, shapes.get(name)).add(new OutputPair(name, shapes.get(name), reference.size(), a, b));
        }
    }

    /** Every output's measures and verdicts, in the original's output order. */
    public List<OutputQuality> result() {
        List<OutputQuality> rows = new ArrayList<>();
        for (Map.Entry<String, Measured> entry : outputs.entrySet()) {
            rows.add(entry.getValue().result(entry.getKey()));
        }
        return rows;
    }

    private Measured measured(String output, long[] exampleShape) {
        return outputs.computeIfAbsent(output, name -> new Measured(exampleShape, measuresOf(name, exampleShape)));
    }

    /** The accumulators an output gets: those every row shows, its shape's candidates, and its tolerances'. */
    private Map<String, QualityMetric.Accumulator> measuresOf(String output, long[] exampleShape) {
        List<String> names = new ArrayList<>(ALWAYS);
        int rank = exampleShape.length - 1;
        long last = exampleShape.length == 0 ? 1 : exampleShape[exampleShape.length - 1];
        if (rank >= 1 && rank <= 2 && last > 1) {
            names.add("top1-agree");
            if (last > 5) {
                names.add("top5-overlap");
            }
        }
        if (rank >= 3) {
            names.add("iou@0.5");
        }
        for (String stated : tolerances.statedMetrics(output)) {
            if (!names.contains(stated)) {
                names.add(stated);
            }
        }
        Map<String, QualityMetric.Accumulator> accumulators = new LinkedHashMap<>();
        for (String name : names) {
            accumulators.put(name, metrics.require(name, "output " + output).start());
        }
        return accumulators;
    }

    private static List<Map.Entry<String, Output[]>> pair(Map<String, Output> reference,
            Map<String, Output> candidate) {
        List<Map.Entry<String, Output[]>> pairs = new ArrayList<>();
        boolean byName = candidate.keySet().containsAll(reference.keySet());
        List<Output> byPosition = new ArrayList<>(candidate.values());
        int index = 0;
        for (Map.Entry<String, Output> entry : reference.entrySet()) {
            Output other = byName ? candidate.get(entry.getKey())
                    : index < byPosition.size() ? byPosition.get(index) : null;
            index++;
            if (other != null) {
                pairs.add(Map.entry(entry.getKey(), new Output[] {entry.getValue(), other}));
            }
        }
        if (pairs.isEmpty()) {
            throw new IllegalStateException("the models have no float outputs to compare");
        }
        return pairs;
    }

    private static void requireSameSize(String name, Output a, Output b) {
        if (a.values().length != b.values().length) {
            throw new IllegalStateException("output '" + name + "' has " + b.values().length + " values in the "
                    + "compressed model but " + a.values().length + " in the original");
        }
    }

    private static long[] withBatchOne(long[] shape) {
        long[] one = shape.clone();
        one[0] = 1;
        return one;
    }

    private static float[] concat(List<float[]> parts) {
        int size = parts.stream().mapToInt(p -> p.length).sum();
        float[] all = new float[size];
        int at = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    /** One output's accumulators and what its kind is judged from. */
    private final class Measured {
        private final long[] exampleShape;
        private final Map<String, QualityMetric.Accumulator> accumulators;
        private double min = Double.POSITIVE_INFINITY;
        private double max = Double.NEGATIVE_INFINITY;
        private boolean rowsSumToOne = true;
        private int examples;

        Measured(long[] exampleShape, Map<String, QualityMetric.Accumulator> accumulators) {
            this.exampleShape = exampleShape;
            this.accumulators = accumulators;
        }

        void add(OutputPair pair) {
            examples++;
            for (float v : pair.reference()) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            int n = pair.lastAxis();
            for (int r = 0; r < pair.rows() && rowsSumToOne; r++) {
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    sum += pair.reference()[r * n + i];
                }
                rowsSumToOne = Math.abs(sum - 1) <= SUM_SLACK;
            }
            accumulators.values().forEach(a -> a.add(pair));
        }

        OutputQuality result(String output) {
            OutputKind kind = OutputKind.of(exampleShape, min, max, rowsSumToOne);
            int classes = (int) (exampleShape.length == 0 ? 1 : exampleShape[exampleShape.length - 1]);
            List<String> shown = new ArrayList<>(ALWAYS);
            shown.addAll(kind.extraMeasures(classes));
            List<OutputTolerance> held = tolerances.forOutput(output, kind);
            held.forEach(t -> {
                if (!shown.contains(t.metric())) {
                    shown.add(t.metric());
                }
            });
            Map<String, Double> measures = new LinkedHashMap<>();
            for (String name : shown) {
                QualityMetric.Accumulator accumulator = accumulators.get(name);
                if (accumulator == null) {
                    // a default tolerance's metric this output's shape did not foresee: never for the built-in kinds
                    throw new IllegalStateException("output " + output + " was not measured by " + name);
                }
                measures.put(name, accumulator.value());
            }
            List<OutputQuality.Verdict> verdicts = new ArrayList<>();
            for (OutputTolerance t : held) {
                double value = measures.get(t.metric());
                verdicts.add(new OutputQuality.Verdict(t, value, t.holds(value), tolerances.byDefault()));
            }
            return new OutputQuality(output, kind, examples, measures, verdicts);
        }
    }
}
