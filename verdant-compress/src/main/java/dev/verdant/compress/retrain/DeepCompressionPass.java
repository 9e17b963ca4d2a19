package dev.verdant.compress.retrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.compress.CompressionPass;
import dev.verdant.compress.PassContext;
import dev.verdant.compress.PassOutput;
import dev.verdant.compress.prune.PruningTarget;
import dev.verdant.compress.prune.WeightTensors;
import dev.verdant.compress.share.SharedWeight;
import dev.verdant.compress.share.SharingBits;
import dev.verdant.compress.share.WeightSharer;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.Tensors;
import dev.verdant.train.StepHook;
import dev.verdant.train.TrainingListener;
import dev.verdant.train.TrainingLoss;
import dev.verdant.train.graph.GraphParameter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Deep Compression (Han et al., 2016) as one recipe step ({@code deep-compression}): gradual pruning with
 * retraining, then k-means weight sharing per layer (8 bits for convolutions, 5 for fully-connected layers unless
 * given), then centroid fine-tuning. The shared model stores each weight as {@code Gather(codebook, codes)}, so
 * training it moves each centroid by the summed gradient of the weights that share it, exactly Han et al.'s
 * update; the code that holds the pruned zeros stays 0. Writing the result to a {@code .vdz} adds the Huffman
 * coding of the codes and the relative sparse indices.
 */
public final class DeepCompressionPass implements CompressionPass {

    private final GradualPruningPass pruning;
    private final SharingBits bits;
    private final RetrainingOptions options;
    private final int centroidEpochs;
    private final TrainingSetup setup;

    /**
     * @param sparsity       the pruning target (global)
     * @param bits           bits per layer for the codes
     * @param options        the pruning phase's training
     * @param centroidEpochs epochs of centroid fine-tuning (0 skips it)
     */
    public DeepCompressionPass(double sparsity, SharingBits bits, RetrainingOptions options, int centroidEpochs,
            TrainingSetup setup) {
        if (centroidEpochs < 0) {
            throw new IllegalArgumentException("centroid fine-tuning epochs cannot be negative, got " + centroidEpochs);
        }
        this.pruning = new GradualPruningPass(new PruningTarget.Global(sparsity), options, setup);
        this.bits = bits;
        this.options = options;
        this.centroidEpochs = centroidEpochs;
        this.setup = setup;
    }

    @Override
    public String name() {
        return "deep-compression";
    }

    @Override
    public void validate(OnnxGraph graph) {
        WeightTensors.requireAny(graph, name());
    }

    @Override
    public PassOutput apply(ModelProto original, PassContext context) {
        Retrainer retrainer = new Retrainer(setup, name(), options.maxExamples());
        GradualPruningPass.Pruned pruned = pruning.prune(original, retrainer);
        PassOutput shared = new WeightSharer(bits).apply(pruned.retrained().model(), context);
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("prune", pruned.facts());
        facts.putAll(pruned.retrained().facts("prune"));
        ModelProto result = shared.model();
        double energy = pruned.retrained().energyJoules();
        if (centroidEpochs > 0) {
            Retrainer.Retrained tuned = retrainer.train(result, "deep-compression shared weights",
                    new RetrainingOptions(centroidEpochs, options.learningRate() / 10, options.batchSize(),
                            options.maxExamples()),
                    new ZeroCodes(zeroCodebooks(result, shared.facts())), TrainingListener.NONE,
                    new TrainingLoss.CrossEntropy(), null);
            facts.putAll(tuned.facts("centroids"));
            result = tuned.model();
            energy += tuned.energyJoules();
        }
        facts.put("share", shared.facts());
        facts.put("trainingEnergyJoules", energy);
        return new PassOutput(result, facts);
    }

    /** The codebooks whose code 0 holds a pruned layer's zeros, from the sharer's per-layer facts. */
    static Set<String> zeroCodebooks(ModelProto shared, Map<String, Object> sharingFacts) {
        Set<String> zeroKept = ((java.util.List<?>) sharingFacts.get("layers")).stream()
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
