package dev.verdant.runtime;

import dev.verdant.data.FeatureDataset;
import java.util.Map;

/**
 * Real fixed-size samples (images, table rows) fed to a model with one float input, shaped by
 * {@link InputTensors} the way the input wants them ({@code [B, 1, 28, 28]} for a CNN, {@code [B, 784]} for an MLP).
 *
 * @param dataset the samples, already cut to the ones the benchmark uses
 */
public record FeatureFeed(FeatureDataset<?> dataset) implements Feed {

    @Override
    public String kind() {
        return "data";
    }

    @Override
    public String description() {
        return dataset.size() + " real samples of " + dataset.name() + ", each " + java.util.Arrays.toString(dataset.sampleShape());
    }

    @Override
    public PreparedBatches prepare(OrtRunner runner, int batchSize) {
        int count = Math.min(MAX_DISTINCT_BATCHES, dataset.size() / batchSize);
        if (count == 0) {
            throw new IllegalArgumentException(dataset.name() + " has " + dataset.size()
                    + " samples, fewer than the batch size " + batchSize);
        }
        ModelInputs.Input input = runner.inputs().only();
        return PreparedBatches.of(count, batchSize, i -> Map.of(input.name(),
                InputTensors.values(dataset.batch(i * batchSize, (i + 1) * batchSize), input)));
    }
}
