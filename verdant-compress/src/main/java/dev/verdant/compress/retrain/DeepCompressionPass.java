package dev.verdant.compress.retrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.compress.PassContext;
import dev.verdant.compress.PassOutput;
import dev.verdant.compress.prune.PruningSensitivity;
import dev.verdant.compress.prune.PruningTarget;
import dev.verdant.compress.prune.WeightPruningPass;
import dev.verdant.compress.share.SharedWeight;
import dev.verdant.compress.share.SharingBits;
import dev.verdant.compress.share.SharingBitsSearch;
import dev.verdant.compress.share.WeightSharer;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.Tensors;
import dev.verdant.runtime.OrtClassifier;
import dev.verdant.train.StepHook;
import dev.verdant.train.Teacher;
import dev.verdant.train.TrainingListener;
import dev.verdant.train.TrainingLoss;
import dev.verdant.train.graph.GraphParameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Deep Compression (Han et al., 2016) as one recipe step ({@code deep-compression}): pruning with retraining, then
 * k-means weight sharing per layer, then centroid fine-tuning. By default every choice is made on training examples
 * kept out of training (a validation split, never the test part): each layer's sparsity by its sensitivity
 * ({@link PruningSensitivity}: the overall sparsity reached at the least summed validation cost, the layers that lose
 * least per weight pruned first), and each layer's bits as the fewest that keep validation accuracy within a tolerance
 * ({@link SharingBitsSearch}); a recipe can give one global sparsity and fixed bits instead (Han et al.'s 8 for
 * convolutions and 5 for fully-connected layers). The shared model stores each weight as {@code Gather(codebook,
 * codes)}, so training it moves each centroid by the summed gradient of the weights that share it, exactly Han et
 * al.'s update; the code that holds the pruned zeros stays 0. Writing the result to a {@code .vdz} adds the Huffman
 * coding of the codes and the relative sparse indices.
 *
 * <p>Both trainings learn from the original model as well as from the labels by default (distillation from the
 * unpruned self, its logits computed once): the compressed model is asked to keep the original's answers, which
 * recovers more of its accuracy than the labels alone (BENCHMARKS.md, "Deep Compression at defaults").
 */
public final class DeepCompressionPass extends RetrainingPass implements WeightPruningPass {

    /**
     * The weight of the original model's soft outputs in the retraining loss, unless given ({@code alpha=}; 0 trains
     * on the labels alone). Hinton et al.'s usual 0.9 at temperature 4, as the {@code distill} step's defaults.
     */
    public static final double DEFAULT_DISTILLATION_ALPHA = 0.9;

    /** The softening temperature of that distillation, unless given ({@code t=}). */
    public static final double DEFAULT_DISTILLATION_TEMPERATURE = 4;

    /** The overall sparsity the sensitivity allocation reaches, unless given. */
    public static final double DEFAULT_OVERALL_SPARSITY = 0.91;

    /** Batch size of the validation scores' runs in ONNX Runtime. */
    private static final int ORT_BATCH = 500;

    /** How the step gets each layer's sparsity. */
    public sealed interface LayerPruning permits LayerPruning.Given, LayerPruning.BySensitivity {

        /** A sparsity given in the recipe (one global figure, or per layer). */
        record Given(PruningTarget target) implements LayerPruning {
        }

        /**
         * Sparsities chosen per layer before pruning, by each layer's validation cost when pruned alone.
         *
         * @param overall the sparsity over all weights the layers reach together
         */
        record BySensitivity(double overall) implements LayerPruning {
            public BySensitivity {
                double highest = PruningSensitivity.GRID.get(PruningSensitivity.GRID.size() - 1);
                if (!(overall > 0 && overall <= highest)) {
                    throw new IllegalArgumentException("the overall sparsity must be in (0, " + highest + "], got "
                            + overall);
                }
            }
        }
    }

    /** How the step gets each layer's bits. */
    public sealed interface LayerBits permits LayerBits.Given, LayerBits.Searched {

        /** Bits given in the recipe (Han et al.'s 8 for Conv and 5 for fully-connected layers unless set). */
        record Given(SharingBits bits) implements LayerBits {
        }

        /**
         * Bits chosen per layer after pruning, by validation accuracy in ONNX Runtime.
         *
         * @param search the bits tried and the accuracy one layer may cost
         */
        record Searched(SharingBitsSearch search) implements LayerBits {
        }
    }

    private final LayerPruning layerPruning;
    private final LayerBits bits;
    private final int validationExamples;
    private final int centroidEpochs;
    private final TrainingLoss loss;

    /** With one global sparsity and bits given per layer. */
    public DeepCompressionPass(double sparsity, SharingBits bits, RetrainingOptions options, int centroidEpochs,
            TrainingSetup setup) {
        this(new LayerPruning.Given(new PruningTarget.Global(sparsity)), new LayerBits.Given(bits), 0, options,
                centroidEpochs, new TrainingLoss.CrossEntropy(), setup);
    }

    /**
     * @param layerPruning       each layer's sparsity, given or chosen by sensitivity
     * @param bits               bits per layer for the codes, given or searched
     * @param validationExamples training examples kept out of training for the choices (at least 1, or
     *                           {@link Retrainer#DEFAULT_VALIDATION}, when a choice is made on validation; ignored
     *                           otherwise)
     * @param options            the pruning phase's training
     * @param centroidEpochs     epochs of centroid fine-tuning (0 skips it)
     * @param loss               the retraining objective: cross-entropy on the labels, or distillation from the
     *                           original model (its logits cached once over the training examples)
     */
    public DeepCompressionPass(LayerPruning layerPruning, LayerBits bits, int validationExamples,
            RetrainingOptions options, int centroidEpochs, TrainingLoss loss, TrainingSetup setup) {
        super("deep-compression", options, setup);
        if (centroidEpochs < 0) {
            throw new IllegalArgumentException("centroid fine-tuning epochs cannot be negative, got " + centroidEpochs);
        }
        boolean validates = layerPruning instanceof LayerPruning.BySensitivity || bits instanceof LayerBits.Searched;
        if (validates && validationExamples < 1 && validationExamples != Retrainer.DEFAULT_VALIDATION) {
            throw new IllegalArgumentException("choosing sparsities or bits needs at least one validation example, "
                    + "got " + validationExamples);
        }
        if (layerPruning instanceof LayerPruning.Given given) {
            new GradualPruningPass(given.target(), options, setup); // refuses an N:M pattern up front
        }
        this.layerPruning = layerPruning;
        this.bits = bits;
        this.validationExamples = validates ? validationExamples : 0;
        this.centroidEpochs = centroidEpochs;
        this.loss = Objects.requireNonNull(loss, "loss");
    }

    @Override
    public PassOutput apply(ModelProto original, PassContext context) {
        Retrainer retrainer = retrainer(name(), validationExamples);
        ToDoubleFunction<ModelProto> validationAccuracy = model -> validationAccuracy(model, retrainer);
        Map<String, Object> facts = new LinkedHashMap<>();
        PruningTarget target = switch (layerPruning) {
            case LayerPruning.Given given -> given.target();
            case LayerPruning.BySensitivity sensitivity -> {
                PruningSensitivity analysis = PruningSensitivity.measure(original, validationAccuracy);
                PruningSensitivity.Allocation allocation = analysis.allocate(sensitivity.overall());
                Map<String, Object> choiceFacts = new LinkedHashMap<>();
                choiceFacts.put("method", "each layer pruned alone to " + PruningSensitivity.GRID.stream()
                        .map(s -> Math.round(s * 100) + "%").toList() + " of its weights; the least summed validation "
                        + "cost per weight removed, up to " + sensitivity.overall() * 100 + "% overall");
                choiceFacts.put("validationExamples", retrainer.validation().size());
                choiceFacts.putAll(analysis.facts("validationAccuracy", allocation));
                facts.put("sparsityChoice", choiceFacts);
                yield allocation.asTarget();
            }
        };
        SelfDistillation distillation = SelfDistillation.of(original, loss, retrainer, options, setup.threads());
        TrainingLoss trainingLoss = distillation.loss();
        Teacher teacher = distillation.teacher();
        if (loss.needsTeacher()) {
            facts.put("loss", distillation.description());
        }
        GradualPruningPass.Pruned pruned = new GradualPruningPass(target, options, setup).prune(original, retrainer,
                trainingLoss, teacher);
        facts.put("prune", pruned.facts());
        facts.putAll(pruned.retrained().facts("prune"));
        ModelProto prunedModel = pruned.retrained().model();
        SharingBits layerBits = switch (bits) {
            case LayerBits.Given given -> given.bits();
            case LayerBits.Searched searched -> {
                SharingBitsSearch.Choice choice = searched.search().choose(prunedModel, validationAccuracy);
                Map<String, Object> choiceFacts = new LinkedHashMap<>();
                choiceFacts.put("method", "fewest bits in " + searched.search().minBits() + ".." + searched.search()
                        .maxBits() + " keeping validation accuracy within " + searched.search().tolerance() * 100
                        + " points with that layer alone shared, then one more bit at a time to the layer that recovers"
                        + " most per bit added until all layers shared together are within it");
                choiceFacts.put("validationExamples", retrainer.validation().size());
                choiceFacts.putAll(choice.facts("validationAccuracy"));
                facts.put("bitsChoice", choiceFacts);
                yield choice.bits();
            }
        };
        PassOutput shared = new WeightSharer(layerBits).apply(prunedModel, context);
        facts.put("bits", chosenBits(shared.facts()));
        ModelProto result = shared.model();
        if (validationExamples != 0) {
            facts.put("sharedValidationAccuracy", validationAccuracy.applyAsDouble(result));
        }
        double energy = pruned.retrained().energyJoules();
        if (centroidEpochs > 0) {
            Retrainer.Retrained tuned = retrainer.train(result, "deep-compression shared weights",
                    new RetrainingOptions(centroidEpochs, options.learningRate() / 10, options.batchSize(),
                            options.maxExamples(), options.augmentation()),
                    new ZeroCodes(zeroCodebooks(result, shared.facts())), TrainingListener.NONE, trainingLoss,
                    teacher);
            facts.putAll(tuned.facts("centroids"));
            result = tuned.model();
            energy += tuned.energyJoules();
            if (validationExamples != 0) {
                facts.put("tunedValidationAccuracy", validationAccuracy.applyAsDouble(result));
            }
        }
        facts.put("share", shared.facts());
        facts.put("trainingEnergyJoules", energy);
        return new PassOutput(result, facts);
    }

    /** Accuracy on the retrainer's validation examples, in ONNX Runtime. */
    private double validationAccuracy(ModelProto model, Retrainer retrainer) {
        try (OrtClassifier classifier = OrtClassifier.load(model, setup.threads())) {
            return classifier.evaluate(retrainer.validation(), ORT_BATCH).accuracy();
        }
    }

    /** Each weight's bits, from the sharer's per-layer facts. */
    private static Map<String, Object> chosenBits(Map<String, Object> sharingFacts) {
        Map<String, Object> bits = new LinkedHashMap<>();
        for (Object layer : (List<?>) sharingFacts.get("layers")) {
            Map<?, ?> fact = (Map<?, ?>) layer;
            bits.put((String) fact.get("tensor"), fact.get("bits"));
        }
        return bits;
    }

    /** The codebooks whose code 0 holds a pruned layer's zeros, from the sharer's per-layer facts. */
    static Set<String> zeroCodebooks(ModelProto shared, Map<String, Object> sharingFacts) {
        Set<String> zeroKept = ((List<?>) sharingFacts.get("layers")).stream()
                .map(layer -> (Map<?, ?>) layer)
                .filter(layer -> Boolean.TRUE.equals(layer.get("zeroKept")))
                .map(layer -> (String) layer.get("tensor")).collect(Collectors.toSet());
        OnnxGraph graph = OnnxGraph.of(shared);
        return SharedWeight.find(graph).stream().filter(w -> zeroKept.contains(w.weight()))
                .filter(w -> Tensors.toFloats(graph.initializer(w.codebook()).orElseThrow())[0] == 0f)
                .map(SharedWeight::codebook).collect(Collectors.toSet());
    }

    /** Keeps code 0 of the given codebooks at exactly 0 while the other centroids train. */
    record ZeroCodes(Set<String> codebooks) implements StepHook {
        @Override
        public void beforeUpdate(GraphParameter parameter, NDArray gradient) {
            if (codebooks.contains(parameter.name())) {
                gradient.set(new NDIndex(0), 0f);
            }
        }

        @Override
        public void afterUpdate(GraphParameter parameter) {
            if (codebooks.contains(parameter.name())) {
                parameter.array().set(new NDIndex(0), 0f);
            }
        }
    }
}
