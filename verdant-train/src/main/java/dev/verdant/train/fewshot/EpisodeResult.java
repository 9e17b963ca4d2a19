package dev.verdant.train.fewshot;

import java.util.List;

/**
 * The accuracy over many episodes: the mean, and a 95% confidence interval of the mean from Student's
 * t-distribution with {@code episodes - 1} degrees of freedom ({@code mean +- t(0.975, n-1) * sd / sqrt(n)}).
 *
 * @param classifier the classifier's name
 * @param features   what the vectors were (for example {@code all-minilm-l6-v2 mean pooling} or {@code bag of words})
 * @param mean       mean episode accuracy
 * @param halfWidth  half-width of the 95% interval
 * @param low        {@code mean - halfWidth}
 * @param high       {@code mean + halfWidth}
 * @param stdDev     sample standard deviation of the episode accuracies
 * @param accuracies every episode's accuracy, in order
 */
public record EpisodeResult(String classifier, String features, double mean, double halfWidth, double low,
        double high, double stdDev, List<Double> accuracies) {

    /** How the interval is computed, for reports. */
    public static final String INTERVAL_METHOD = "95% CI of the mean, Student's t with episodes-1 degrees of freedom";

    public EpisodeResult {
        accuracies = List.copyOf(accuracies);
    }

    /** The episodes' accuracies summarized; at least two are needed for an interval. */
    public static EpisodeResult of(String classifier, String features, List<Double> accuracies) {
        int n = accuracies.size();
        if (n < 2) {
            throw new IllegalArgumentException("an interval needs at least two episodes, got " + n);
        }
        double mean = accuracies.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double squares = accuracies.stream().mapToDouble(a -> (a - mean) * (a - mean)).sum();
        double sd = Math.sqrt(squares / (n - 1));
        double half = StudentT.quantile(0.975, n - 1) * sd / Math.sqrt(n);
        return new EpisodeResult(classifier, features, mean, half, mean - half, mean + half, sd, accuracies);
    }

    public int episodes() {
        return accuracies.size();
    }
}
