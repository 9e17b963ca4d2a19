package dev.verdant.compress.share;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.verdant.compress.prune.WeightTensor;
import dev.verdant.compress.prune.WeightTensors;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.Tensors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Chooses each layer's weight-sharing bits from data, by sensitivity: one layer at a time is shared (the others stay
 * as they are, as a quantization sensitivity analysis quantizes one node alone), at 2, 3, ... bits until its score
 * (for example validation accuracy; higher is better) is within {@code tolerance} of the unshared model's. A layer
 * gets the fewest such bits, or {@code maxBits} when no width keeps it within the tolerance. Each trial shares the
 * layer exactly as {@link WeightSharer} will (the same k-means), so a layer's score is the score its chosen sharing
 * gives before any fine-tuning.
 *
 * <p>Layers chosen alone can each cost up to the tolerance, and their costs add up when all are shared. So the
 * search then shares every layer at its chosen bits together and, while that costs more than the tolerance, gives
 * one more bit to the layer whose extra bit recovers the most score per bit added to the model (its weight count), and
 * measures again; the tolerance bounds the whole model's cost, not each layer's alone.
 *
 * @param minBits   the fewest bits tried, 2 to 8 (a pruned layer needs a code for its zeros and one for the rest)
 * @param maxBits   the most bits tried, {@code minBits} to 8
 * @param tolerance how much of the score one layer's sharing may cost, in the score's unit (0.002 is 0.2 points of
 *                  accuracy)
 */
public record SharingBitsSearch(int minBits, int maxBits, double tolerance) {

    public SharingBitsSearch {
        if (minBits < 2 || maxBits > SharingBits.MAX_BITS || minBits > maxBits) {
            throw new IllegalArgumentException("the bits search tries 2 to " + SharingBits.MAX_BITS + " bits, got "
                    + minBits + " to " + maxBits);
        }
        if (!(tolerance >= 0 && tolerance < 1)) {
            throw new IllegalArgumentException("the bits search needs a tolerance in [0, 1), got " + tolerance);
        }
    }

    /** From 2 to 8 bits. */
    public static SharingBitsSearch withTolerance(double tolerance) {
        return new SharingBitsSearch(2, SharingBits.MAX_BITS, tolerance);
    }

    /**
     * What the search chose.
     *
     * @param bits     the chosen bits, by weight name
     * @param baseline the unshared model's score
     * @param layers   each layer's trials alone, in initializer order
     * @param together the score with every layer shared at once, after each bit added to bring it within the
     *                 tolerance (the first: at the bits chosen alone)
     */
    public record Choice(SharingBits bits, double baseline, List<LayerChoice> layers, List<Together> together) {
        public Choice {
            layers = List.copyOf(layers);
            together = List.copyOf(together);
        }

        /**
         * The choice as report facts, each score under a key named after {@code scoreName} (e.g. {@code
         * validationAccuracy}: {@code baselineValidationAccuracy} and, per layer, {@code validationAccuracyByBits}),
         * as the score function returned it.
         */
        public Map<String, Object> facts(String scoreName) {
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put("baseline" + Character.toUpperCase(scoreName.charAt(0)) + scoreName.substring(1),
                    rounded(baseline));
            facts.put("layers", layers.stream().map(l -> l.toFact(scoreName)).toList());
            facts.put("together", together.stream().map(t -> t.toFact(scoreName)).toList());
            return facts;
        }
    }

    /**
     * Every layer shared at once.
     *
     * @param raised the layer given one more bit before this measure, or empty for the bits chosen alone
     * @param bits   the bits of every layer
     * @param score  the score of the model with all of them shared
     */
    public record Together(String raised, Map<String, Integer> bits, double score) {
        public Together {
            bits = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(bits));
        }

        Map<String, Object> toFact(String scoreName) {
            Map<String, Object> fact = new LinkedHashMap<>();
            fact.put("raised", raised);
            fact.put("bits", bits);
            fact.put(scoreName, rounded(score));
            return fact;
        }
    }

    /**
     * One layer's trials.
     *
     * @param tensor the weight
     * @param op     its node's op type
     * @param params its weight count
     * @param bits   the bits chosen
     * @param scores the score with only this layer shared, by bits tried (ascending)
     */
    public record LayerChoice(String tensor, String op, long params, int bits, Map<Integer, Double> scores) {
        public LayerChoice {
            scores = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(scores));
        }

        Map<String, Object> toFact(String scoreName) {
            Map<String, Object> fact = new LinkedHashMap<>();
            fact.put("tensor", tensor);
            fact.put("op", op);
            fact.put("params", params);
            fact.put("bits", bits);
            Map<String, Double> tried = new LinkedHashMap<>();
            scores.forEach((b, s) -> tried.put(b + "bit", rounded(s)));
            fact.put(scoreName + "ByBits", tried);
            return fact;
        }
    }

    /**
     * Chooses the bits of every MatMul, Gemm and Conv weight of {@code model}.
     *
     * @param score scores a model (higher is better); called once for the model, once per layer and bits tried, and
     *              once per measure of the layers together
     */
    public Choice choose(ModelProto model, ToDoubleFunction<ModelProto> score) {
        WeightTensors.ModelWeights prepared = WeightTensors.prepare(model, "share:auto");
        double baseline = score.applyAsDouble(prepared.model());
        SharedValues shared = new SharedValues(prepared, new WeightSharer(SharingBits.uniform(maxBits)));
        Map<String, Integer> chosen = new LinkedHashMap<>();
        List<LayerChoice> layers = new ArrayList<>();
        for (WeightTensor weight : prepared.weights()) {
            Map<Integer, Double> scores = new LinkedHashMap<>();
            int bits = maxBits;
            for (int trial = minBits; trial <= maxBits; trial++) {
                double trialScore = score.applyAsDouble(withInitializer(prepared.model(),
                        shared.tensor(weight, trial)));
                scores.put(trial, trialScore);
                if (baseline - trialScore <= tolerance) {
                    bits = trial;
                    break;
                }
            }
            chosen.put(weight.name(), bits);
            layers.add(new LayerChoice(weight.name(), weight.opType(), weight.elementCount(), bits, scores));
        }
        List<Together> together = new ArrayList<>();
        together.add(new Together("", chosen, score.applyAsDouble(shared.model(chosen))));
        while (baseline - together.getLast().score() > tolerance) {
            double current = together.getLast().score();
            String best = null;
            double bestGain = Double.NEGATIVE_INFINITY;
            double bestScore = current;
            for (WeightTensor weight : prepared.weights()) {
                int bits = chosen.get(weight.name());
                if (bits >= maxBits) {
                    continue;
                }
                Map<String, Integer> raised = new LinkedHashMap<>(chosen);
                raised.put(weight.name(), bits + 1);
                double raisedScore = score.applyAsDouble(shared.model(raised));
                double gain = (raisedScore - current) / weight.elementCount();
                if (gain > bestGain) {
                    best = weight.name();
                    bestGain = gain;
                    bestScore = raisedScore;
                }
            }
            if (best == null) {
                break; // every layer is at the most bits
            }
            chosen.put(best, chosen.get(best) + 1);
            together.add(new Together(best, chosen, bestScore));
        }
        return new Choice(new SharingBits(maxBits, maxBits, chosen), baseline, layers, together);
    }

    /**
     * The weights of one search shared at the bits asked, each layer and width clustered once: the trials alone and
     * every measure of the layers together reuse them (k-means on a large layer is the search's dearest step).
     */
    private static final class SharedValues {
        private final WeightTensors.ModelWeights prepared;
        private final WeightSharer sharer;
        private final Map<String, Map<Integer, TensorProto>> tensors = new HashMap<>();

        SharedValues(WeightTensors.ModelWeights prepared, WeightSharer sharer) {
            this.prepared = prepared;
            this.sharer = sharer;
        }

        /** {@code weight} shared at {@code bits}, expanded back to floats, as an initializer of the same name. */
        TensorProto tensor(WeightTensor weight, int bits) {
            return tensors.computeIfAbsent(weight.name(), name -> new HashMap<>()).computeIfAbsent(bits,
                    b -> Tensors.ofFloats(weight.name(), weight.dims(), sharer.share(
                            Tensors.toFloats(prepared.graph().initializer(weight.name()).orElseThrow()), b)
                            .expanded()));
        }

        /** The model with every weight shared at its bits in {@code bits}, its graph rebuilt once. */
        ModelProto model(Map<String, Integer> bits) {
            Map<String, TensorProto> replacements = new HashMap<>();
            for (WeightTensor weight : prepared.weights()) {
                replacements.put(weight.name(), tensor(weight, bits.get(weight.name())));
            }
            return withInitializers(prepared.model(), replacements);
        }
    }

    /** Six significant decimals are all a validation score has; the rest is binary rounding noise in reports. */
    private static double rounded(double value) {
        return Math.round(value * 1e6) / 1e6;
    }

    /** The model with the initializer of the same name replaced. */
    private static ModelProto withInitializer(ModelProto model, TensorProto replacement) {
        return withInitializers(model, Map.of(replacement.getName(), replacement));
    }

    /** The model with each initializer named in {@code replacements} replaced, in one pass over its graph. */
    private static ModelProto withInitializers(ModelProto model, Map<String, TensorProto> replacements) {
        GraphProto.Builder graph = model.getGraph().toBuilder();
        int replaced = 0;
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            TensorProto replacement = replacements.get(graph.getInitializer(i).getName());
            if (replacement != null) {
                graph.setInitializer(i, replacement);
                replaced++;
            }
        }
        if (replaced != replacements.size()) {
            throw new IllegalStateException("no initializer named one of " + replacements.keySet());
        }
        return model.toBuilder().setGraph(graph).build();
    }
}
