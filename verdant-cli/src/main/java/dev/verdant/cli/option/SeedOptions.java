package dev.verdant.cli.option;

import picocli.CommandLine.Option;

/**
 * {@code --seed N}: the seed of what a command draws at random, so that a run can be repeated to the bit. Each
 * command says its default and words {@code --seed} for what it seeds, under {@code verdant.COMMAND.seed} in
 * {@code OptionDescriptions.properties}.
 */
public final class SeedOptions {

    @Option(names = "--seed", paramLabel = "N", descriptionKey = "seed",
            description = "Seeds what the command draws at random (default ${DEFAULT-VALUE}).")
    long seed;

    /** The options with {@code defaultSeed} as the default of {@code --seed}. */
    public SeedOptions(long defaultSeed) {
        this.seed = defaultSeed;
    }

    /** The seed. */
    public long seed() {
        return seed;
    }
}
