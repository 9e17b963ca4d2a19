package dev.verdant.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.verdant.data.BatchTensors;
import dev.verdant.data.FeatureDataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Real fixed-size samples (images, table rows) fed to a model with one float input, shaped by
 * {@link BatchTensors} the way the input wants them ({@code [B, 1, 28, 28]} for a CNN, {@code [B, 784]} for an MLP).
 *
 * @param dataset the samples, already cut to the ones the benchmark uses
 */
public record FeatureInputs(FeatureDataset<?> dataset) implements InputFeed {

    @Override
    public String kind() {
        return "data";
    }

    @Override
    public String description() {
        return dataset.size() + " real samples of " + dataset.name() + ", each " + java.util.Arrays.toString(dataset.sampleShape());
    }

    @Override
    public PreparedBatches prepare(OrtSession session, int batchSize) throws OrtException {
        int count = Math.min(MAX_DISTINCT_BATCHES, dataset.size() / batchSize);
        if (count == 0) {
            throw new IllegalArgumentException(dataset.name() + " has " + dataset.size()
                    + " samples, fewer than the batch size " + batchSize);
        }
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        List<Map<String, OnnxTensor>> batches = new ArrayList<>();
        try {
            String input = session.getInputNames().iterator().next();
            for (int i = 0; i < count; i++) {
                batches.add(Map.of(input, BatchTensors.toTensor(environment,
                        dataset.batch(i * batchSize, (i + 1) * batchSize), session)));
            }
            return new PreparedBatches(batches, batchSize);
        } catch (OrtException | RuntimeException e) {
            PreparedBatches.closeAll(batches);
            throw e;
        }
    }
}
