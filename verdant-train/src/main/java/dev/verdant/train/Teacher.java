package dev.verdant.train;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.verdant.data.Batch;
import dev.verdant.data.FeatureDataset;
import dev.verdant.data.PartlyLabelled;
import dev.verdant.runtime.OrtClassifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The teacher a distillation loss reads: a model run in ONNX Runtime on every training batch ({@link PerBatch}), or
 * its logits computed once over the training set and reused every epoch ({@link Cached}). The cache is exact only
 * while the training batches hold the very samples it was computed on, so it finds each sample by its content and
 * refuses one it has never seen (an augmented or foreign sample) rather than hand back another sample's logits.
 */
public sealed interface Teacher permits Teacher.PerBatch, Teacher.Cached {

    /** Samples per ONNX Runtime call when a teacher's logits are computed once over a training set ({@link #cache}). */
    int CACHE_BATCH = 500;

    /** Opens the teacher for one training session; the caller closes what it returns. */
    Logits open(int threads);

    /** One line for provenance and reports. */
    String describe();

    /** The teacher's logits for training batches, while a session runs. */
    interface Logits extends AutoCloseable {

        /** The logits of {@code batch}, {@code [batch size][classes]}. */
        float[][] logits(Batch batch);

        @Override
        void close();
    }

    /** The teacher model itself, run in ONNX Runtime on every batch (each epoch pays the teacher's inference again). */
    record PerBatch(ModelProto model) implements Teacher {

        public PerBatch {
            Objects.requireNonNull(model);
        }

        @Override
        public Logits open(int threads) {
            OrtClassifier classifier = OrtClassifier.load(model, threads);
            return new Logits() {
                @Override
                public float[][] logits(Batch batch) {
                    return classifier.logits(batch);
                }

                @Override
                public void close() {
                    classifier.close();
                }
            };
        }

        @Override
        public String describe() {
            return "teacher run on every batch";
        }
    }

    /**
     * Runs {@code model} once over {@code data} in ONNX Runtime, in batches of {@code batchSize}, and keeps the logits.
     * The dataset's features are referenced, not copied (datasets are immutable), to check every lookup exactly.
     */
    static Cached cache(ModelProto model, FeatureDataset<?> data, int threads, int batchSize) {
        return cache(model, List.of(data), threads, batchSize);
    }

    /**
     * Runs {@code model} once over the labelled and the unlabelled samples of a transfer set, as
     * {@link #cache(ModelProto, FeatureDataset, int, int)} does over one dataset.
     */
    static Cached cache(ModelProto model, PartlyLabelled data, int threads, int batchSize) {
        return cache(model, List.of(data.labelled(), data.unlabelled()), threads, batchSize);
    }

    private static Cached cache(ModelProto model, List<FeatureDataset<?>> parts, int threads, int batchSize) {
        List<float[][]> logits = new ArrayList<>();
        try (OrtClassifier classifier = OrtClassifier.load(model, threads)) {
            for (FeatureDataset<?> part : parts) {
                float[][] rows = new float[part.size()][];
                int next = 0;
                for (Batch batch : part.batches(batchSize)) {
                    for (float[] row : classifier.logits(batch)) {
                        rows[next++] = row;
                    }
                }
                logits.add(rows);
            }
        }
        return new Cached(parts.stream().map(FeatureDataset::features).toList(), parts.get(0).featureSize(), logits);
    }

    /**
     * A teacher's logits for every sample of one dataset (or of both parts of a transfer set), found by the sample's
     * features: batches shuffled or regrouped from that data get exactly the logits the teacher gave each sample; a
     * sample the teacher never saw is refused with a message.
     */
    final class Cached implements Teacher, Logits {

        private final List<float[]> parts;   // each part's features, (size, featureSize) row-major
        private final int[] partStart;       // the index of each part's first sample among all samples
        private final int featureSize;
        private final float[][] logits;      // (samples, classes), the parts one after the other
        private final Map<Long, Integer> firstWithFingerprint = new HashMap<>();
        private final int[] nextWithSameFingerprint; // a chain per fingerprint, -1 ends it

        private Cached(List<float[]> parts, int featureSize, List<float[][]> partLogits) {
            this.parts = List.copyOf(parts);
            this.featureSize = featureSize;
            this.partStart = new int[parts.size()];
            List<float[]> rows = new ArrayList<>();
            for (int p = 0; p < parts.size(); p++) {
                partStart[p] = rows.size();
                rows.addAll(Arrays.asList(partLogits.get(p)));
            }
            this.logits = rows.toArray(float[][]::new);
            this.nextWithSameFingerprint = new int[logits.length];
            for (int i = logits.length - 1; i >= 0; i--) {
                int p = partOf(i);
                long print = fingerprint(parts.get(p), (i - partStart[p]) * featureSize, featureSize);
                Integer previous = firstWithFingerprint.put(print, i);
                nextWithSameFingerprint[i] = previous == null ? -1 : previous;
            }
        }

        /** The part that sample {@code index} (counted over all parts) belongs to. */
        private int partOf(int index) {
            int p = partStart.length - 1;
            while (partStart[p] > index) {
                p--;
            }
            return p;
        }

        /** How many samples the cache holds logits for. */
        public int size() {
            return logits.length;
        }

        @Override
        public Logits open(int threads) {
            return this; // nothing native to open: the logits are already in memory
        }

        @Override
        public float[][] logits(Batch batch) {
            float[] batchFeatures = batch.features();
            if (batch.size() > 0 && batchFeatures.length / batch.size() != featureSize) {
                throw new IllegalArgumentException("the cached teacher logits are for samples of " + featureSize
                        + " features, not " + batchFeatures.length / batch.size());
            }
            float[][] out = new float[batch.size()][];
            for (int row = 0; row < out.length; row++) {
                int index = find(batchFeatures, row * featureSize);
                if (index < 0) {
                    throw new IllegalStateException("the cached teacher logits cover only the " + logits.length
                            + " samples they were computed on, and sample " + row + " of " + batch
                            + " is not one of them (augmented or other data); run the teacher on every batch instead");
                }
                out[row] = logits[index].clone();
            }
            return out;
        }

        private int find(float[] batchFeatures, int from) {
            Integer first = firstWithFingerprint.get(fingerprint(batchFeatures, from, featureSize));
            for (int i = first == null ? -1 : first; i >= 0; i = nextWithSameFingerprint[i]) {
                int p = partOf(i);
                int start = (i - partStart[p]) * featureSize;
                if (Arrays.equals(parts.get(p), start, start + featureSize, batchFeatures, from,
                        from + featureSize)) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public void close() {
            // the cache outlives a session: it is reused by every epoch and by later sessions
        }

        @Override
        public String describe() {
            return "teacher logits cached over " + logits.length + " samples";
        }

        /** A 64-bit hash of {@code length} floats; equal samples get equal fingerprints. */
        private static long fingerprint(float[] values, int from, int length) {
            long hash = 0x9E3779B97F4A7C15L;
            for (int i = from; i < from + length; i++) {
                hash = (hash ^ Float.floatToIntBits(values[i])) * 0xBF58476D1CE4E5B9L;
                hash ^= hash >>> 31;
            }
            return hash;
        }
    }
}
