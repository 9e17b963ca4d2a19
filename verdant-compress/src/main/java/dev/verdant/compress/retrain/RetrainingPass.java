package dev.verdant.compress.retrain;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.compress.CompressionPass;
import java.util.Objects;
import java.util.Set;

/**
 * A recipe step that fine-tunes the model on labelled data: it holds how it trains ({@link RetrainingOptions}) and
 * what every retraining step of a run shares ({@link TrainingSetup}), and declares that it needs labelled data.
 */
public abstract class RetrainingPass implements CompressionPass {

    private final String name;

    /** How this step trains: epochs, learning rate, batch, examples, augmentation. */
    protected final RetrainingOptions options;
    /** The labelled data, threads, seed and version of the run. */
    protected final TrainingSetup setup;

    /** @param name the step's name as recipes spell it */
    protected RetrainingPass(String name, RetrainingOptions options, TrainingSetup setup) {
        this.name = Objects.requireNonNull(name, "name");
        this.options = Objects.requireNonNull(options, "options");
        this.setup = Objects.requireNonNull(setup, "setup");
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public Set<Need> needs(ModelProto model) {
        return Set.of(Need.LABELLED_DATA);
    }

    /** A retrainer for one run of this step, its messages naming {@code step}; it resolves the labelled data. */
    protected Retrainer retrainer(String step) {
        return retrainer(step, 0);
    }

    /** {@link #retrainer(String)}, also holding out {@code validationExamples} for choices made on validation. */
    protected Retrainer retrainer(String step, int validationExamples) {
        return new Retrainer(setup, step, options.maxExamples(), validationExamples);
    }
}
