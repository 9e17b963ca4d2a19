package dev.verdant.train.fewshot;

import dev.verdant.data.Dataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Draws the pool a few-shot run embeds: at most {@code perClass} examples of each class, chosen by a seed, so a
 * large corpus (82,115 WordNet glosses) costs a bounded number of backbone passes and every class can appear.
 */
public final class PoolSampler {

    private PoolSampler() {
    }

    /** Up to {@code perClass} examples of each class of {@code data}, in the data's order. */
    public static <D extends Dataset<D>> D capPerClass(D data, int perClass, long seed) {
        if (perClass < 1) {
            throw new IllegalArgumentException("--per-class must be at least 1, got " + perClass);
        }
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < data.classCount(); c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < data.size(); i++) {
            byClass.get(data.label(i)).add(i);
        }
        Random random = new Random(seed);
        List<Integer> kept = new ArrayList<>();
        for (List<Integer> members : byClass) {
            java.util.Collections.shuffle(members, random);
            kept.addAll(members.subList(0, Math.min(perClass, members.size())));
        }
        int[] indices = kept.stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(indices);
        return data.select(indices);
    }
}
