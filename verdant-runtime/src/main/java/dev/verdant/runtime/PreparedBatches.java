package dev.verdant.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Input tensors made before timing starts, so measured runs do no tokenizing or copying of their own: a few
 * distinct batches that the runner takes in turn (real data varies from batch to batch; one batch repeated would
 * let caches flatter the model). Owns the tensors and closes them; {@link OrtRunner#run(PreparedBatches, long)} runs
 * them.
 */
public final class PreparedBatches implements AutoCloseable {

    private final List<Map<String, OnnxTensor>> batches;
    private final int batchSize;
    private final CloseOnce state = new CloseOnce("these input batches are closed");

    private PreparedBatches(List<Map<String, OnnxTensor>> batches, int batchSize) {
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("no input batch was prepared");
        }
        this.batches = List.copyOf(batches);
        this.batchSize = batchSize;
    }

    /** Makes the ONNX Runtime tensors of one batch; the tensors it made before failing are closed by the caller. */
    @FunctionalInterface
    interface BatchMaker {
        void make(int index, Map<String, OnnxTensor> into) throws OrtException;
    }

    /**
     * Makes {@code count} batches of {@code batchSize} samples with {@code maker}; when making one fails, every
     * tensor already made is closed before the failure goes on.
     *
     * @throws IllegalArgumentException with one line when ONNX Runtime cannot make a tensor
     */
    static PreparedBatches make(int count, int batchSize, BatchMaker maker) {
        List<Map<String, OnnxTensor>> batches = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
                batches.add(feeds);
                maker.make(i, feeds);
            }
            return new PreparedBatches(batches, batchSize);
        } catch (OrtException e) {
            batches.forEach(b -> b.values().forEach(OnnxTensor::close));
            throw new IllegalArgumentException("cannot make input tensors: " + OrtTensors.firstLine(e), e);
        } catch (RuntimeException e) {
            batches.forEach(b -> b.values().forEach(OnnxTensor::close));
            throw e;
        }
    }

    /** {@code count} batches made of plain inputs, one map of input name to values per batch. */
    static PreparedBatches of(int count, int batchSize, IntFunction<Map<String, InputTensor>> batch) {
        return make(count, batchSize, (i, into) -> {
            for (Map.Entry<String, InputTensor> input : batch.apply(i).entrySet()) {
                into.put(input.getKey(), OrtTensors.tensor(input.getValue()));
            }
        });
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
    Map<String, OnnxTensor> feeds(long run) {
        state.ensureOpen();
        return batches.get((int) (run % batches.size()));
    }

    /**
     * Each input's shape for one sample ({@code batchSize} replaced by 1), for counting MACs per inference. An input
     * whose first axis is not the batch (a scalar sample rate, a state of {@code [2, 1, 128]}) keeps its shape.
     */
    public Map<String, long[]> shapesOfOneSample() {
        state.ensureOpen();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        batches.get(0).forEach((name, tensor) -> {
            long[] shape = tensor.getInfo().getShape().clone();
            // only a leading axis as long as the batch is the batch: a state such as Silero's 2x1x128 leads with
            // its layers
            if (shape.length > 0 && shape[0] == batchSize) {
                shape[0] = 1;
            }
            shapes.put(name, shape);
        });
        return shapes;
    }

    @Override
    public void close() {
        state.close(() -> batches.forEach(b -> b.values().forEach(OnnxTensor::close)));
    }
}
