package dev.verdant.runtime;

import dev.verdant.data.BatchPadding;
import dev.verdant.data.DataSource;
import dev.verdant.data.Dataset;
import dev.verdant.data.Datasets;
import dev.verdant.data.FeatureDataset;
import dev.verdant.data.IdxSource;
import dev.verdant.data.Part;
import dev.verdant.data.TextDataset;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a model's inputs come from, turned into tensors before any timing starts: real samples of a dataset
 * (images or table rows, or sentences tokenized for a text model) or synthetic values shaped from the model's
 * declared inputs. Bench measures on them; every feed makes its tensors through {@link InputTensors} or, for
 * generated values, from the declared types.
 */
public sealed interface Feed permits FeatureFeed, TextFeed, SyntheticFeed, SampleFeed {

    /** Most distinct batches a feed prepares for one configuration; runs take them in turn. */
    int MAX_DISTINCT_BATCHES = 8;

    /** {@code data} for real samples, {@code synthetic} for generated values. */
    String kind();

    /** One line saying what the inputs are, for the console and the report. */
    String description();

    /** How batches of text are padded; empty for inputs that are not tokenized text. */
    default Optional<BatchPadding> textPadding() {
        return Optional.empty();
    }

    /**
     * Makes the batches of {@code batchSize} samples for the inputs of the model {@code runner} holds.
     *
     * @throws IllegalArgumentException with one line when the inputs do not fit the model
     */
    PreparedBatches prepare(OrtRunner runner, int batchSize);

    /**
     * Real samples of a {@code --data} value (a name or a path {@link Datasets#resolve} accepts): the test part when
     * the dataset has one, shuffled by {@code seed}, at most {@code samples} of them. Texts are tokenized with
     * {@code tokenizerFile}, which they require, truncated to {@code sequenceLength} tokens and padded as
     * {@code padding} says.
     *
     * @throws IllegalArgumentException with one line for an unknown dataset, or texts without a tokenizer
     */
    static Feed fromData(String spec, Path tokenizerFile, int sequenceLength, BatchPadding padding, int samples,
            long seed) {
        DataSource<?> source = Datasets.resolve(spec);
        Dataset<?> dataset = source instanceof IdxSource idx && idx.parts().contains(Part.TEST)
                ? idx.load(Part.TEST, samples)
                : source.loadAll();
        if (dataset.size() == 0) {
            throw new IllegalArgumentException(source.name() + " holds no sample");
        }
        Dataset<?> chosen = sample(dataset, samples, seed);
        return switch (chosen) {
            case FeatureDataset<?> features -> new FeatureFeed(features);
            case TextDataset texts -> {
                if (tokenizerFile == null) {
                    throw new IllegalArgumentException(source.name() + " holds texts; give the model's tokenizer "
                            + "with --tokenizer tokenizer.json (built-in models bring their own)");
                }
                yield new TextFeed(source.name(), texts.texts(), tokenizerFile, sequenceLength, padding);
            }
        };
    }

    private static <D extends Dataset<D>> D sample(Dataset<D> dataset, int samples, long seed) {
        return dataset.shuffled(seed).subset(Math.min(samples, dataset.size()));
    }
}
