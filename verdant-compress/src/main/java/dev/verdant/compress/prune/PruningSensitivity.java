package dev.verdant.compress.prune;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.Tensors;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * How much each layer's magnitude pruning costs, and a sparsity per layer chosen from it (Han et al.'s sensitivity
 * analysis, made automatic): one layer at a time is pruned alone to each sparsity of a grid (the other layers left as
 * they are), and the model scored, e.g. by accuracy on validation examples. A layer's cost at a sparsity is the most
 * the score fell at that sparsity or any lower one. {@link #allocate} then reaches an overall sparsity at the least
 * summed cost, weight by weight: large layers that lose little per weight prune hard, small or sensitive layers keep
 * more of their weights. (Pruning every layer to the same cost instead was measured to empty LeNet-300-100's small
 * output layer: 95% of its 1,000 weights, 3 points lost after retraining.)
 *
 * @param baseline the unpruned model's score
 * @param layers   each weight's scores by sparsity, in initializer order
 */
public record PruningSensitivity(double baseline, List<LayerCurve> layers) {

    /** The sparsities each layer is tried at: eight, so that a layer's curve prints on one line. */
    public static final List<Double> GRID = List.of(0.25, 0.5, 0.7, 0.8, 0.9, 0.95, 0.97, 0.99);

    public PruningSensitivity {
        layers = List.copyOf(layers);
    }

    /**
     * One weight's scores.
     *
     * @param tensor the weight initializer
     * @param op     its node's op type
     * @param params its weight count
     * @param scores the score with only this weight pruned, by sparsity (ascending)
     */
    public record LayerCurve(String tensor, String op, long params, Map<Double, Double> scores) {
        public LayerCurve {
            scores = Collections.unmodifiableMap(new LinkedHashMap<>(scores));
        }

        /** The most the score fell at {@code sparsity} or below it, against {@code baseline}; 0 at sparsity 0. */
        double cost(double baseline, double sparsity) {
            double worst = 0;
            for (Map.Entry<Double, Double> entry : scores.entrySet()) {
                if (entry.getKey() <= sparsity) {
                    worst = Math.max(worst, baseline - entry.getValue());
                }
            }
            return worst;
        }
    }

    /**
     * Measures every MatMul, Gemm and Conv weight of {@code model} at each sparsity of {@link #GRID}.
     *
     * @param score scores a model (higher is better); called once for the model and once per layer and sparsity
     */
    public static PruningSensitivity measure(ModelProto model, ToDoubleFunction<ModelProto> score) {
        WeightTensors.ModelWeights prepared = WeightTensors.prepare(model, "deep-compression sensitivity");
        OnnxGraph graph = prepared.graph();
        double baseline = score.applyAsDouble(prepared.model());
        List<LayerCurve> curves = new ArrayList<>();
        for (WeightTensor weight : prepared.weights()) {
            float[] values = Tensors.toFloats(graph.initializer(weight.name()).orElseThrow());
            Map<Double, Double> scores = new LinkedHashMap<>();
            for (double sparsity : GRID) {
                float[] pruned = values.clone();
                MagnitudePruner.pruneSmallest(List.of(pruned), sparsity);
                ModelProto trial = MagnitudePruner.replaceInitializers(prepared.model(), Map.of(weight.name(),
                        MagnitudePruner.withFloats(graph.initializer(weight.name()).orElseThrow(), pruned)));
                scores.put(sparsity, score.applyAsDouble(trial));
            }
            curves.add(new LayerCurve(weight.name(), weight.opType(), weight.elementCount(), scores));
        }
        return new PruningSensitivity(baseline, curves);
    }

    /**
     * What {@link #allocate} chose.
     *
     * @param target     the overall sparsity asked for
     * @param cost       the summed score the layers lose, each pruned alone to the grid sparsity its last move aimed at
     * @param sparsities each weight's sparsity, by name
     * @param overall    the sparsity over all weights that these give
     */
    public record Allocation(double target, double cost, Map<String, Double> sparsities, double overall) {

        /** The allocation as a pruning target. */
        public PruningTarget.Layers asTarget() {
            return new PruningTarget.Layers(sparsities);
        }
    }

    /**
     * Sparsities that reach {@code target} over all weights at the least summed cost: starting from no pruning, each
     * move raises the one layer whose step to a higher sparsity of the grid costs least per weight removed (the
     * larger step among equal prices), until the weights removed reach the target; the last move is cut short so
     * that the overall sparsity is exactly {@code target}. A small layer that loses much per weight, such as the
     * output layer, keeps its weights; a large layer that loses little gives most of them.
     *
     * @param target the overall sparsity, in [0, the grid's highest sparsity]
     */
    public Allocation allocate(double target) {
        double highest = GRID.get(GRID.size() - 1);
        if (!(target >= 0 && target <= highest)) {
            throw new IllegalArgumentException("the sensitivity allocation reaches overall sparsities from 0 to "
                    + highest + ", got " + target);
        }
        long params = layers.stream().mapToLong(LayerCurve::params).sum();
        double goal = target * params;
        Map<String, Double> sparsities = new LinkedHashMap<>();
        layers.forEach(layer -> sparsities.put(layer.tensor(), 0.0));
        double removed = 0;
        double cost = 0;
        while (removed < goal - 1e-9) {
            LayerCurve best = null;
            double bestStep = 0;
            double bestPrice = Double.POSITIVE_INFINITY;
            for (LayerCurve layer : layers) {
                double from = sparsities.get(layer.tensor());
                for (double to : layer.scores().keySet()) {
                    if (to <= from) {
                        continue;
                    }
                    double price = (layer.cost(baseline, to) - layer.cost(baseline, from))
                            / ((to - from) * layer.params());
                    boolean cheaper = price < bestPrice - 1e-15;
                    boolean asCheapButLarger = Math.abs(price - bestPrice) <= 1e-15 && to - from > bestStep;
                    if (cheaper || asCheapButLarger) {
                        best = layer;
                        bestStep = to - from;
                        bestPrice = price;
                    }
                }
            }
            if (best == null) {
                break;
            }
            double from = sparsities.get(best.tensor());
            double step = Math.min(bestStep, (goal - removed) / best.params());
            cost += best.cost(baseline, from + bestStep) - best.cost(baseline, from);
            sparsities.put(best.tensor(), from + step);
            removed += step * best.params();
        }
        return new Allocation(target, cost, sparsities, params == 0 ? 0 : removed / params);
    }

    /**
     * The analysis and {@code allocation} as report facts: the baseline, the summed cost, and per layer its scores by
     * sparsity (under {@code scoreName + "BySparsity"}) and the sparsity chosen.
     */
    public Map<String, Object> facts(String scoreName, Allocation allocation) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("baseline" + Character.toUpperCase(scoreName.charAt(0)) + scoreName.substring(1), rounded(baseline));
        facts.put("overallSparsity", allocation.overall());
        facts.put("summedCost", rounded(allocation.cost()));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (LayerCurve layer : layers) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("tensor", layer.tensor());
            row.put("op", layer.op());
            row.put("params", layer.params());
            row.put("sparsity", allocation.sparsities().get(layer.tensor()));
            Map<String, Double> tried = new LinkedHashMap<>();
            layer.scores().forEach((s, v) -> tried.put(String.format(Locale.ROOT, "%.0f%%", s * 100), rounded(v)));
            row.put(scoreName + "BySparsity", tried);
            rows.add(row);
        }
        facts.put("layers", rows);
        return facts;
    }

    private static double rounded(double value) {
        return Math.round(value * 1e6) / 1e6;
    }
}
