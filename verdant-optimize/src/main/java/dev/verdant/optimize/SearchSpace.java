package dev.verdant.optimize;

import dev.verdant.compress.quantize.CalibrationMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The recipes the search tries for a kind of model, cheapest and most promising first, and the follow-ups a finished
 * candidate opens: when an int8 candidate breaks the tolerance, the same recipe with its most sensitive layers kept
 * in float (1, 2, 4, then 8 of them), the accuracy-driven fallback Intel Neural Compressor makes.
 *
 * <p>The order is a function of what has finished, so a resumed search walks the same list and skips what is done.
 */
public final class SearchSpace {

    /** How many of the most sensitive layers the fallbacks keep in float, in the order tried. */
    static final List<Integer> KEEP_FLOAT_COUNTS = List.of(1, 2, 4, 8);

    private SearchSpace() {
    }

    /** What kind of model the search is shaping, which decides the recipes worth trying. */
    public enum ModelKind {
        /** A transformer encoder fed token ids (MiniLM): judged by the fidelity of its embeddings. */
        TEXT_ENCODER,
        /** A model with one float input that classifies (LeNet-5 on Fashion-MNIST): judged by accuracy. */
        CLASSIFIER,
        /**
         * Any other model given real inputs without labels (a text detector, a voice-activity RNN, a backbone):
         * judged by every output's tolerance.
         */
        OUTPUTS
    }

    /** The fixed recipes, in the order tried for {@code objective}. */
    public static List<CandidatePlan> fixedPlans(ModelKind kind, Objective objective) {
        List<CandidatePlan> speed = new ArrayList<>();
        List<CandidatePlan> shrink = new ArrayList<>();
        switch (kind) {
            case TEXT_ENCODER -> {
                // int8 GEMMs and padding removal are the encoder's two big levers (each about 2x on batches padded
                // to their longest text), so they come first together; graph fusions are nearly free and exact;
                // static int8 last: an encoder's activation outliers break it more often than not
                speed.add(CandidatePlan.of("int8-dynamic,unpad", "int8 weights, activations quantized per batch, "
                        + "per-token work on real tokens only"));
                speed.add(CandidatePlan.of("int8-dynamic", "int8 weights, activations quantized per batch"));
                speed.add(CandidatePlan.of("fuse,unpad", "fused fp32 graph, per-token work on real tokens only"));
                speed.add(CandidatePlan.of("fuse", "attention, LayerNorm and GELU fused into ONNX Runtime kernels"));
                speed.add(CandidatePlan.of("int8-static", "int8 weights and activations (QDQ), ranges calibrated "
                        + "on real text"));
                shrink.add(CandidatePlan.of("prune:0.3,int8-dynamic", "30% of weights zeroed, then int8"));
                shrink.add(CandidatePlan.of("share:6bit", "weights shared through 64 k-means centroids per tensor"));
            }
            case CLASSIFIER -> {
                speed.add(CandidatePlan.of("int8-static", "int8 weights and activations, min-max calibration"));
                speed.add(new CandidatePlan("int8-static", CalibrationMethod.PERCENTILE, List.of(),
                        "int8, activation ranges clipped at the 99.99th percentile"));
                speed.add(new CandidatePlan("int8-static", CalibrationMethod.ENTROPY, List.of(),
                        "int8, activation ranges minimizing the KL divergence"));
                speed.add(CandidatePlan.of("int8-dynamic", "int8 weights, activations quantized per batch"));
                shrink.add(CandidatePlan.of("share:5bit", "weights shared through 32 k-means centroids per tensor"));
                shrink.add(CandidatePlan.of("share:4bit", "weights shared through 16 k-means centroids per tensor"));
                shrink.add(CandidatePlan.of("prune:0.5,int8-static", "half the weights zeroed, then int8"));
                shrink.add(CandidatePlan.of("prune:0.8,share:5bit", "80% of weights zeroed, the rest shared"));
                shrink.add(CandidatePlan.of("prune:2:4,int8-static", "2:4 structured sparsity, then int8"));
            }
            case OUTPUTS -> {
                // CNNs and small RNNs: convolutions and matrix products to int8 with calibrated activations first
                // (the calibration sees real inputs, and a stateful model's real states), then the dynamic form
                // that reaches the MatMuls of recurrent cells; weight sharing keeps the graph float and exact in
                // shape, so it suits outputs judged value by value; pruning last, as a dense map or a recurrent
                // state suffers from zeroed weights more than a classifier's argmax does
                speed.add(CandidatePlan.of("int8-static", "int8 weights and activations, min-max calibration on "
                        + "the real inputs"));
                speed.add(new CandidatePlan("int8-static", CalibrationMethod.PERCENTILE, List.of(),
                        "int8, activation ranges clipped at the 99.99th percentile"));
                speed.add(CandidatePlan.of("int8-dynamic", "int8 weights of MatMul and Gemm, activations "
                        + "quantized per run"));
                shrink.add(CandidatePlan.of("share:6bit", "weights shared through 64 k-means centroids per tensor"));
                shrink.add(CandidatePlan.of("share:5bit", "weights shared through 32 k-means centroids per tensor"));
                shrink.add(CandidatePlan.of("prune:0.3,int8-static", "30% of weights zeroed, then int8"));
            }
            default -> throw new IllegalStateException("unknown model kind " + kind);
        }
        List<CandidatePlan> plans = new ArrayList<>();
        plans.add(CandidatePlan.original());
        if (objective == Objective.SIZE) {
            plans.addAll(shrink);
            plans.addAll(speed);
        } else {
            plans.addAll(speed);
            plans.addAll(shrink);
        }
        return plans;
    }

    /**
     * Every plan in the order the search takes them, given what has finished: the fixed plans, each int8 plan
     * followed by its keep-float fallbacks once it has finished, broken its tolerance and been analyzed.
     *
     * @param finished       finished candidates by plan id
     * @param brokeTolerance whether a finished candidate broke the tolerance
     */
    public static List<CandidatePlan> plans(ModelKind kind, Objective objective, Map<String, CandidateResult> finished,
            Predicate<CandidateResult> brokeTolerance) {
        List<CandidatePlan> plans = new ArrayList<>();
        for (CandidatePlan plan : fixedPlans(kind, objective)) {
            plans.add(plan);
            CandidateResult result = finished.get(plan.id());
            if (result != null && result.succeeded() && plan.onlyQuantizationLoses()
                    && brokeTolerance.test(result)) {
                plans.addAll(fallbacks(plan, result.sensitiveNodes()));
            }
        }
        return plans;
    }

    /** The keep-float fallbacks of an int8 plan, given its layers ranked most sensitive first. */
    static List<CandidatePlan> fallbacks(CandidatePlan plan, List<String> ranked) {
        List<CandidatePlan> fallbacks = new ArrayList<>();
        for (int count : KEEP_FLOAT_COUNTS) {
            if (count >= ranked.size()) {
                // keeping every quantized layer in float is the unquantized recipe, not a fallback
                break;
            }
            fallbacks.add(plan.keepingFloat(ranked.subList(0, count), "as " + plan.id() + ", the " + count
                    + " most sensitive layer" + (count == 1 ? "" : "s") + " kept in float"));
        }
        return fallbacks;
    }
}
