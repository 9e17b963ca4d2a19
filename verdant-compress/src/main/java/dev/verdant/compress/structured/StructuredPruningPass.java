package dev.verdant.compress.structured;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.compress.PassContext;
import dev.verdant.compress.PassOutput;
import dev.verdant.compress.retrain.Retrainer;
import dev.verdant.compress.retrain.RetrainingOptions;
import dev.verdant.compress.retrain.RetrainingPass;
import dev.verdant.compress.retrain.SelfDistillation;
import dev.verdant.compress.retrain.TrainingSetup;
import dev.verdant.onnx.OnnxGraph;
import dev.verdant.train.StepHook;
import dev.verdant.train.TrainingListener;
import dev.verdant.train.TrainingLoss;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code prune-structured:F} recipe step: removes the fraction F of the channels of every layer whose channels
 * can go consistently ({@link StructuredPruner}), then fine-tunes the smaller network on labelled data to win back
 * the accuracy the removed filters took, by default learning the original's soft outputs as well as the labels
 * (distillation from the unpruned self, as {@code deep-compression} does). On a BERT-style encoder the same step
 * removes the fraction F of every layer's attention heads and feed-forward channels without retraining
 * ({@link TransformerStructuredPruningPass}).
 */
public final class StructuredPruningPass extends RetrainingPass {

    private final StructuredPruner pruner;
    private final double fraction;
    private final String argument;
    private final TrainingLoss loss;

    /**
     * @param fraction the fraction of channels to remove
     * @param argument the step's whole argument ({@code 0.5,epochs=2}): an encoder reads its own settings from it
     * @param options  how a CNN or MLP is fine-tuned after pruning
     * @param loss     its fine-tuning objective: cross-entropy on the labels, or distillation from the original
     * @param setup    the training data and threads
     */
    public StructuredPruningPass(double fraction, String argument, RetrainingOptions options, TrainingLoss loss,
            TrainingSetup setup) {
        super("prune-structured", options, setup);
        this.pruner = new StructuredPruner(fraction);
        this.fraction = fraction;
        this.argument = argument;
        this.loss = loss;
    }

    /**
     * The encoder form of this step: the plain fraction for heads and FFN channels alike, and {@code epochs=} /
     * {@code lr=} for its fine-tuning (so {@code prune-structured:0.5,epochs=2} fine-tunes an encoder rather than
     * ignoring the epochs); {@code batch=} and {@code examples=} are refused there in one line.
     */
    private TransformerStructuredPruningPass encoder() {
        try {
            return TransformerStructuredPruningPass.parse(argument, setup.threads());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("this model is a BERT-style encoder, pruned by heads and FFN channels: "
                    + e.getMessage(), e);
        }
    }

    /** An encoder is pruned without labelled data (it calibrates and fine-tunes on text); a CNN or MLP needs it. */
    @Override
    public Set<Need> needs(ModelProto model) {
        return TransformerStructuredPruningPass.applies(model) ? Set.of() : super.needs(model);
    }

    @Override
    public void validate(OnnxGraph graph) {
        if (TransformerStructuredPruningPass.applies(graph.model())) {
            encoder().validate(graph);
            return;
        }
        if (pruner.prune(graph.model()).layers().isEmpty()) {
            throw new IllegalArgumentException("prune-structured found no Conv, Gemm or MatMul layer whose channels"
                    + " can be removed consistently (every one reaches a residual Add, the output or an unknown op)");
        }
    }

    @Override
    public PassOutput apply(ModelProto model, PassContext context) {
        if (TransformerStructuredPruningPass.applies(model)) {
            // an encoder is pruned by the encoder pass: reconstruction on the recipe's text, fine-tuned if epochs= says so
            return encoder().apply(model, context);
        }
        Retrainer retrainer = retrainer(name() + ":" + fraction);
        StructuredPruner.Result pruned = pruner.prune(model);
        SelfDistillation distillation = SelfDistillation.of(model, loss, retrainer, options, setup.threads());
        Retrainer.Retrained tuned = retrainer.train(pruned.model(), "prune-structured:" + fraction, options,
                StepHook.NONE, TrainingListener.NONE, distillation.loss(), distillation.teacher());
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("fraction", fraction);
        facts.put("loss", distillation.description());
        facts.put("layers", pruned.layers());
        facts.put("leftAlone", pruned.skipped());
        facts.putAll(tuned.facts("finetune"));
        return new PassOutput(tuned.model(), facts);
    }
}
