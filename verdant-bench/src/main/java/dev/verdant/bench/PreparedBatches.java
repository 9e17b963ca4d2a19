package dev.verdant.bench;

import ai.onnxruntime.OnnxTensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Input tensors made before timing starts, so measured runs do no tokenizing or copying of their own: a few
 * distinct batches that the runner takes in turn (real data varies from batch to batch; one batch repeated would
 * let caches flatter the model). Owns the tensors and closes them.
 */
public final class PreparedBatches implements AutoCloseable {

    private final List<Map<String, OnnxTensor>> batches;
    private final int batchSize;
    private boolean closed;

    /**
     * @param batches   one map of input name to tensor per batch, each holding {@code batchSize} samples; taken over
     * @param batchSize samples per batch
     */
    PreparedBatches(List<Map<String, OnnxTensor>> batches, int batchSize) {
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("no input batch was prepared");
        }
        this.batches = List.copyOf(batches);
        this.batchSize = batchSize;
    }

    /** How many distinct batches there are. */
    public int count() {
        return batches.size();
    }

    /** Samples in each batch. */
    public int batchSize() {
        return batchSize;
    }

    /** The feeds of run {@code run}: the batches taken in turn. */
    public Map<String, OnnxTensor> feeds(long run) {
        ensureOpen();
        return batches.get((int) (run % batches.size()));
    }

    /** Each input's shape for one sample ({@code batchSize} replaced by 1), for counting MACs per inference. */
    public Map<String, long[]> shapesOfOneSample() {
        ensureOpen();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        batches.get(0).forEach((name, tensor) -> {
            long[] shape = tensor.getInfo().getShape().clone();
            if (shape.length > 0) {
                shape[0] = 1;
            }
            shapes.put(name, shape);
        });
        return shapes;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("these input batches are closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<OnnxTensor> all = new ArrayList<>();
        batches.forEach(b -> all.addAll(b.values()));
        all.forEach(OnnxTensor::close);
    }

    /** Closes every tensor already made when building the batches fails part way. */
    static void closeAll(List<Map<String, OnnxTensor>> partial) {
        partial.forEach(b -> b.values().forEach(OnnxTensor::close));
    }
}
