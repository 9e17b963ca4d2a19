package dev.verdant.cli.option;

import picocli.CommandLine.Option;

/**
 * The from-scratch counterfactual of {@code transfer} and {@code fewshot}: whether to train the same architecture
 * from fresh weights in the same run, and its budget in epochs and joules. Each command words
 * {@code --compare-scratch} for what it compares ({@code verdant.COMMAND.compare-scratch} in
 * {@code OptionDescriptions.properties}).
 */
public final class ScratchOptions {

    /**
     * The default energy cap of a token encoder's scratch run: about four minutes of one busy core here, enough for
     * a few hundred steps of a 22M-weight encoder, so the run ends and the ratio is reported as a bound.
     */
    static final double TOKEN_ENCODER_SCRATCH_JOULES = 600;

    @Option(names = "--compare-scratch", descriptionKey = "compare-scratch", description = "Also train the same "
            + "architecture from scratch until it reaches the accuracy (or --scratch-max-epochs), in this run, and "
            + "report the energy ratio.")
    boolean compare;

    @Option(names = "--scratch-max-epochs", paramLabel = "N", defaultValue = "20",
            description = "Cap of the scratch run (default ${DEFAULT-VALUE}).")
    int maxEpochs;

    @Option(names = "--scratch-max-joules", paramLabel = "J",
            description = "Energy cap of the --compare-scratch run, in joules of IT energy: it stops once it has spent"
                    + " this much, then reports how far it got and the ratio as a bound (default: none for image"
                    + " backbones, " + (int) TOKEN_ENCODER_SCRATCH_JOULES + " J for token encoders; 0 for none).")
    Double maxJoules;

    /** Whether --compare-scratch was given. */
    public boolean compare() {
        return compare;
    }

    /** The scratch run's epoch cap. */
    public int maxEpochs() {
        return maxEpochs;
    }

    /** The scratch run's energy cap: --scratch-max-joules, else the default for the backbone's kind (0: none). */
    public double maxJoules(boolean texts) {
        return maxJoules != null ? maxJoules : texts ? TOKEN_ENCODER_SCRATCH_JOULES : 0;
    }

    /** One-line errors for out-of-range budgets, before any work. */
    public void validate() {
        if (maxEpochs < 1) {
            throw new IllegalArgumentException("--scratch-max-epochs must be at least 1, got " + maxEpochs);
        }
        if (maxJoules != null && !(maxJoules >= 0 && Double.isFinite(maxJoules))) {
            throw new IllegalArgumentException("--scratch-max-joules must be a finite number >= 0, got " + maxJoules);
        }
    }
}
