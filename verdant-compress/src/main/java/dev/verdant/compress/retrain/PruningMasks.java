package dev.verdant.compress.retrain;

import ai.djl.ndarray.NDArray;
import dev.verdant.compress.prune.PruningTarget;
import dev.verdant.train.StepHook;
import dev.verdant.train.TrainingListener;
import dev.verdant.train.graph.GraphParameter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Magnitude masks kept through training: after every optimizer step the pruned weights are set back to exactly zero
 * (their gradients are zeroed before the update too, so plain SGD never moves them; re-applying the mask also
 * undoes what momentum and weight decay would do). As a {@link TrainingListener} it counts steps and, when the
 * schedule says so, recomputes the masks from the current weights at the scheduled sparsity, one threshold over all
 * weights ({@link PruningTarget.Global}) or one per layer ({@link PruningTarget.PerLayer}); with a sparsity of its own
 * for each layer ({@link PruningTarget.Layers}), each layer follows the schedule scaled to its own sparsity.
 */
public final class PruningMasks implements StepHook, TrainingListener {

    private final Set<String> weights;
    private final boolean perLayer;
    private final Map<String, Double> layerScale; // a layer's sparsity over the schedule's target, or null
    private final CubicSparsitySchedule schedule;
    private final Map<String, GraphParameter> seen = new LinkedHashMap<>();
    private final Map<String, NDArray> masks = new HashMap<>(); // 1 where a weight is kept, with the weight's shape
    private long step;
    private double sparsity;

    /**
     * @param weights  the initializer names of the weights to prune (MatMul, Gemm and Conv weights)
     * @param target   global or per-layer (the sparsity itself comes from {@code schedule})
     * @param schedule when and how far to prune
     */
    public PruningMasks(Set<String> weights, PruningTarget target, CubicSparsitySchedule schedule) {
        if (target instanceof PruningTarget.NOfM) {
            throw new IllegalArgumentException("gradual pruning takes a sparsity (0.9 or 0.9/layer), not an N:M "
                    + "pattern");
        }
        this.weights = Set.copyOf(weights);
        this.perLayer = !(target instanceof PruningTarget.Global);
        if (target instanceof PruningTarget.Layers layers) {
            Map<String, Double> scale = new HashMap<>();
            weights.forEach(name -> scale.put(name, schedule.target() == 0 ? 0 : layers.sparsityOf(name)
                    / schedule.target()));
            this.layerScale = Map.copyOf(scale);
        } else {
            this.layerScale = null;
        }
        this.schedule = schedule;
    }

    @Override
    public void beforeUpdate(GraphParameter parameter, NDArray gradient) {
        NDArray mask = masks.get(parameter.name());
        if (mask != null) {
            gradient.muli(mask);
        }
    }

    @Override
    public void afterUpdate(GraphParameter parameter) {
        if (!weights.contains(parameter.name())) {
            return;
        }
        seen.putIfAbsent(parameter.name(), parameter);
        NDArray mask = masks.get(parameter.name());
        if (mask != null) {
            parameter.array().muli(mask);
        }
    }

    @Override
    public void stepFinished(int samples, double loss, double samplesPerSecond, double energyJoules) {
        step++;
        if (schedule.prunesAt(step)) {
            prune(schedule.sparsityAt(step));
        }
    }

    /** The sparsity of the masks now in force. */
    public double sparsity() {
        return sparsity;
    }

    /** Optimizer steps counted so far. */
    public long steps() {
        return step;
    }

    /** Recomputes every mask so that {@code target} of the weights are zero, and applies the masks. */
    void prune(double target) {
        if (seen.isEmpty()) {
            return;
        }
        Map<String, float[]> values = new LinkedHashMap<>();
        seen.forEach((name, parameter) -> values.put(name, parameter.array().toFloatArray()));
        Map<String, Float> thresholds = new HashMap<>();
        if (perLayer) {
            values.forEach((name, v) -> thresholds.put(name, threshold(new float[][] {v},
                    layerScale == null ? target : Math.min(1, target * layerScale.get(name)))));
        } else {
            float global = threshold(values.values().toArray(float[][]::new), target);
            values.keySet().forEach(name -> thresholds.put(name, global));
        }
        long zeros = 0;
        long total = 0;
        for (Map.Entry<String, float[]> entry : values.entrySet()) {
            float[] v = entry.getValue();
            float cut = thresholds.get(entry.getKey());
            float[] keep = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                keep[i] = Math.abs(v[i]) > cut ? 1f : 0f;
                zeros += keep[i] == 0f ? 1 : 0;
            }
            total += v.length;
            NDArray weight = seen.get(entry.getKey()).array();
            NDArray mask = weight.getManager().create(keep, weight.getShape());
            NDArray previous = masks.put(entry.getKey(), mask);
            if (previous != null) {
                previous.close();
            }
            weight.muli(mask);
        }
        sparsity = total == 0 ? 0 : (double) zeros / total;
    }

    /**
     * The magnitude at or below which weights are pruned so that {@code fraction} of them go: the k-th smallest
     * absolute value (k = round(fraction * n)), or -1 (nothing pruned) for k = 0.
     */
    static float threshold(float[][] tensors, double fraction) {
        int n = Arrays.stream(tensors).mapToInt(t -> t.length).sum();
        int k = (int) Math.round(fraction * n);
        if (k == 0) {
            return -1f;
        }
        float[] magnitudes = new float[n];
        int at = 0;
        for (float[] tensor : tensors) {
            for (float value : tensor) {
                magnitudes[at++] = Math.abs(value);
            }
        }
        Arrays.sort(magnitudes);
        return magnitudes[k - 1];
    }
}
