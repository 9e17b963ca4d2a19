package dev.verdant.compress.retrain;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.compress.PassContext;
import dev.verdant.compress.PassOutput;
import dev.verdant.compress.prune.LayerSparsity;
import dev.verdant.compress.prune.PruningTarget;
import dev.verdant.compress.prune.WeightPruningPass;
import dev.verdant.compress.prune.WeightTensor;
import dev.verdant.compress.prune.WeightTensors;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.onnx.Tensors;
import dev.verdant.train.Teacher;
import dev.verdant.train.TrainingLoss;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Gradual magnitude pruning with retraining ({@code prune:0.92,gradual}): the model fine-tunes on labelled data
 * while the sparsity of its MatMul, Gemm and Conv weights rises on Zhu and Gupta's cubic schedule to the target,
 * the masks held through every later step, so the network learns around the weights it loses instead of losing
 * them all at once.
 */
public final class GradualPruningPass extends RetrainingPass implements WeightPruningPass {

    /** Pruning events over the pruning phase of a run. */
    static final int PRUNING_EVENTS = 20;

    private final PruningTarget target;
    private final double sparsity;

    /** @param target a global sparsity, or per layer (N:M patterns are post-training only) */
    public GradualPruningPass(PruningTarget target, RetrainingOptions options, TrainingSetup setup) {
        super("prune-gradual", options, setup);
        this.sparsity = switch (target) {
            case PruningTarget.Global global -> global.sparsity();
            case PruningTarget.PerLayer perLayer -> perLayer.sparsity();
            case PruningTarget.Layers layers -> layers.max();
            case PruningTarget.NOfM nOfM -> throw new IllegalArgumentException("gradual pruning takes a sparsity "
                    + "(prune:0.9,gradual or prune:0.9/layer,gradual), not the N:M pattern " + nOfM.spec());
        };
        this.target = target;
    }

    @Override
    public PassOutput apply(ModelProto original, PassContext context) {
        Retrainer retrainer = retrainer("prune:" + target.spec() + ",gradual");
        Pruned pruned = prune(original, retrainer);
        Map<String, Object> facts = new LinkedHashMap<>(pruned.facts());
        facts.putAll(pruned.retrained().facts("retrain"));
        return new PassOutput(pruned.retrained().model(), facts);
    }

    /**
     * What gradual pruning gave: the retrained model and each weight's sparsity in it.
     *
     * @param retrained the training run
     * @param layers    each weight's zeros, counted in the exported model
     */
    record Pruned(Retrainer.Retrained retrained, List<LayerSparsity> layers) {

        long params() {
            return layers.stream().mapToLong(LayerSparsity::params).sum();
        }

        long zeros() {
            return layers.stream().mapToLong(LayerSparsity::zeros).sum();
        }

        Map<String, Object> facts() {
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put("weights", params());
            facts.put("sparsity", (double) zeros() / params());
            // how many times fewer weights are left: the figure Han et al. give for pruning alone
            facts.put("weightReduction", (double) params() / Math.max(1, params() - zeros()));
            facts.put("layers", layers.stream().map(LayerSparsity::toFact).collect(Collectors.toList()));
            return facts;
        }
    }

    /** Retrains {@code original} with masks rising to the target; shared with Deep Compression. */
    Pruned prune(ModelProto original, Retrainer retrainer) {
        return prune(original, retrainer, new TrainingLoss.CrossEntropy(), null);
    }

    /** As {@link #prune(ModelProto, Retrainer)}, training with {@code loss} (reading {@code teacher}, or null). */
    Pruned prune(ModelProto original, Retrainer retrainer, TrainingLoss loss, Teacher teacher) {
        WeightTensors.ModelWeights prepared = WeightTensors.prepare(original, name());
        Set<String> names = prepared.weights().stream().map(WeightTensor::name).collect(Collectors.toSet());
        CubicSparsitySchedule schedule = CubicSparsitySchedule.forRun(sparsity, retrainer.stepsFor(options),
                PRUNING_EVENTS);
        PruningMasks masks = new PruningMasks(names, target, schedule);
        Retrainer.Retrained retrained = retrainer.train(prepared.model(), "compress input", options, masks, masks,
                loss, teacher);
        return new Pruned(retrained, sparsityOf(retrained.model(), prepared.weights()));
    }

    /** Each weight's zeros in {@code model}. */
    static List<LayerSparsity> sparsityOf(ModelProto model, List<WeightTensor> weights) {
        OnnxGraph graph = OnnxGraph.of(model);
        List<LayerSparsity> layers = new ArrayList<>();
        for (WeightTensor weight : weights) {
            layers.add(LayerSparsity.of(weight, Tensors.toFloats(graph.initializer(weight.name()).orElseThrow())));
        }
        return layers;
    }
}
