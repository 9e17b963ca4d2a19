package dev.verdant.train.fewshot;

/**
 * How episodes are drawn.
 *
 * @param shots           labelled support examples per class (K)
 * @param queriesPerClass query examples per class
 * @param episodes        how many random episodes
 * @param ways            classes per episode; 0 for all classes
 * @param seed            fixes every draw
 */
public record EpisodeConfig(int shots, int queriesPerClass, int episodes, int ways, long seed) {

    public EpisodeConfig {
        if (shots < 1) {
            throw new IllegalArgumentException("--shots must be at least 1, got " + shots);
        }
        if (queriesPerClass < 1) {
            throw new IllegalArgumentException("--queries must be at least 1, got " + queriesPerClass);
        }
        if (episodes < 2) {
            throw new IllegalArgumentException("--episodes must be at least 2 for an interval, got " + episodes);
        }
        if (ways < 0 || ways == 1) {
            throw new IllegalArgumentException("--ways must be 0 (all classes) or at least 2, got " + ways);
        }
    }
}
