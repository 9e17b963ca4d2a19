package dev.verdant.spark;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Splits each executor's energy over the stages whose tasks ran on it, in proportion to those tasks' executor CPU
 * time ({@code TaskMetrics.executorCpuTime}), and sums stages into jobs. All of an executor's energy is split,
 * including the time it sat idle between tasks; an executor that ran no task CPU keeps its energy unattributed,
 * and an unmeasured executor contributes nothing to a stage (the stage then says it lacks that executor).
 */
final class StageAttribution {

    private StageAttribution() {
    }

    /**
     * What each stage got.
     *
     * @param joules            IT energy attributed to each stage, by stage id
     * @param byExecutor        for each stage, the joules each executor gave it
     * @param unattributed      each executor's energy that went to no stage (it ran no task CPU)
     * @param missingExecutors  for each stage, the executors that ran its tasks but whose energy is unknown
     */
    record Split(Map<Integer, Double> joules, Map<Integer, Map<String, Double>> byExecutor,
            Map<String, Double> unattributed, Map<Integer, java.util.Set<String>> missingExecutors) {
    }

    /**
     * Splits the energy.
     *
     * @param executorJoules IT energy of each measured executor (unmeasured ones are absent)
     * @param cpuNanos       executor CPU time of each stage's tasks on each executor: executor id → stage → ns
     */
    static Split split(Map<String, Double> executorJoules, Map<String, Map<Integer, Long>> cpuNanos) {
        Map<Integer, Double> joules = new TreeMap<>();
        Map<Integer, Map<String, Double>> byExecutor = new TreeMap<>();
        Map<String, Double> unattributed = new TreeMap<>();
        Map<Integer, java.util.Set<String>> missing = new TreeMap<>();
        for (Map.Entry<String, Double> executor : executorJoules.entrySet()) {
            Map<Integer, Long> stages = cpuNanos.getOrDefault(executor.getKey(), Map.of());
            long total = stages.values().stream().mapToLong(Long::longValue).sum();
            if (total <= 0) {
                unattributed.put(executor.getKey(), executor.getValue());
                continue;
            }
            for (Map.Entry<Integer, Long> stage : stages.entrySet()) {
                double share = executor.getValue() * stage.getValue() / total;
                joules.merge(stage.getKey(), share, Double::sum);
                byExecutor.computeIfAbsent(stage.getKey(), s -> new TreeMap<>()).put(executor.getKey(), share);
            }
        }
        for (Map.Entry<String, Map<Integer, Long>> executor : cpuNanos.entrySet()) {
            if (!executorJoules.containsKey(executor.getKey())) {
                for (Integer stage : executor.getValue().keySet()) {
                    missing.computeIfAbsent(stage, s -> new java.util.TreeSet<>()).add(executor.getKey());
                    joules.putIfAbsent(stage, 0.0);
                }
            }
        }
        return new Split(joules, byExecutor, unattributed, missing);
    }

    /** Each job's energy: the sum of its stages' ({@code stageJob}: the job each stage ran for). */
    static Map<Integer, Double> jobs(Map<Integer, Double> stageJoules, Map<Integer, Integer> stageJob) {
        Map<Integer, Double> jobs = new HashMap<>();
        stageJoules.forEach((stage, j) -> {
            Integer job = stageJob.get(stage);
            if (job != null) {
                jobs.merge(job, j, Double::sum);
            }
        });
        return new TreeMap<>(jobs);
    }
}
