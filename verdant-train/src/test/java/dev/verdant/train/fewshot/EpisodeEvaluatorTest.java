package dev.verdant.train.fewshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verdant.data.Datasets;
import dev.verdant.data.ImageDataset;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Episodes on raw pixels of the committed MNIST digits sample (20 images per digit). */
class EpisodeEvaluatorTest {

    private static ImageDataset digits;

    @BeforeAll
    static void load() {
        digits = Datasets.images(Datasets.resolve(Datasets.MNIST_DIGITS_SAMPLE), Datasets.MNIST_DIGITS_SAMPLE).loadAll();
    }

    /** Zeros and ones: a trivially separable real subset. */
    private static Embeddings zerosAndOnes() {
        int[] indices = java.util.stream.IntStream.range(0, digits.size()).filter(i -> digits.label(i) <= 1).toArray();
        ImageDataset subset = digits.select(indices);
        ImageDataset relabelled = new ImageDataset("0-1", subset.pixels(), 1, 28, 28, subset.labels(),
                java.util.List.of("0", "1"));
        return Embeddings.of(relabelled);
    }

    @Test
    void bothClassifiersSeparateZerosFromOnes() {
        EpisodeEvaluator evaluator = new EpisodeEvaluator(new EpisodeConfig(3, 10, 30, 0, 1));
        for (FewShotClassifier classifier : new FewShotClassifier[] {new FewShotClassifier.Prototype(),
            FewShotClassifier.LogisticRegression.defaults()}) {
            EpisodeResult result = evaluator.evaluate(classifier, "pixels", zerosAndOnes(), Optional.empty());
            assertThat(result.mean()).as(classifier.name()).isGreaterThan(0.95);
            assertThat(result.episodes()).isEqualTo(30);
        }
    }

    @Test
    void intervalContainsTheMeanAndShrinksWithMoreEpisodes() {
        Embeddings pixels = Embeddings.of(digits);
        EpisodeResult few = new EpisodeEvaluator(new EpisodeConfig(1, 5, 10, 0, 3))
                .evaluate(new FewShotClassifier.Prototype(), "pixels", pixels, Optional.empty());
        EpisodeResult many = new EpisodeEvaluator(new EpisodeConfig(1, 5, 160, 0, 3))
                .evaluate(new FewShotClassifier.Prototype(), "pixels", pixels, Optional.empty());
        for (EpisodeResult result : new EpisodeResult[] {few, many}) {
            assertThat(result.low()).isLessThan(result.mean());
            assertThat(result.high()).isGreaterThan(result.mean());
            assertThat(result.mean()).isBetween(0.2, 0.95); // 1-shot 10-way on pixels: well above chance, not solved
        }
        assertThat(many.halfWidth()).isLessThan(few.halfWidth() * 0.6);
        // the same seed draws the same episodes: the first ten agree
        assertThat(many.accuracies().subList(0, 10)).isEqualTo(few.accuracies());
    }

    @Test
    void tooFewExamplesPerClassIsOneLine() {
        EpisodeEvaluator evaluator = new EpisodeEvaluator(new EpisodeConfig(10, 15, 5, 0, 1));
        assertThatThrownBy(() -> evaluator.evaluate(new FewShotClassifier.Prototype(), "pixels", Embeddings.of(digits),
                Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("too few examples per class for 10-shot episodes with 15 queries per class")
                .hasMessageContaining("'0' (20)").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> new EpisodeConfig(5, 15, 1, 0, 1)).hasMessageContaining("at least 2");
    }
}
