package dev.verdant.spark;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The driver's record of the application: every executor's latest report, the executor CPU time of each stage's
 * tasks on each executor, which job each stage ran for and how each job ended. Fed by the plugin RPC and by
 * {@link StageCpuListener}; thread-safe, and {@link #snapshot()} copies it whole.
 */
final class EnergyLedger {

    /**
     * One job as the listener saw it.
     *
     * @param jobId   Spark's job id
     * @param stages  the stages it listed (a stage another job already ran is listed but skipped)
     * @param status  {@code running}, {@code succeeded} or {@code failed}
     */
    record Job(int jobId, List<Integer> stages, String status) {
        Job {
            stages = List.copyOf(stages);
        }
    }

    /**
     * One stage.
     *
     * @param stageId Spark's stage id
     * @param name    its name (the call site)
     * @param jobId   the job it ran for: the first job that listed it
     */
    record Stage(int stageId, String name, int jobId) {
    }

    /**
     * A consistent copy of the ledger.
     *
     * @param samples    each executor's latest energy report
     * @param unmeasured each executor whose meter failed, with the reason
     * @param seen       every executor Spark announced or that ran a task, with its host
     * @param cpuNanos   executor id → stage id → executor CPU time of its tasks there
     * @param tasks      executor id → tasks that ended there
     * @param stages     stage id → stage
     * @param jobs       job id → job
     */
    record Snapshot(Map<String, ExecutorReport.Sample> samples, Map<String, ExecutorReport.Unmeasured> unmeasured,
            Map<String, String> seen, Map<String, Map<Integer, Long>> cpuNanos, Map<String, Integer> tasks,
            Map<Integer, Stage> stages, Map<Integer, Job> jobs) {
    }

    private final Map<String, ExecutorReport.Sample> samples = new TreeMap<>();
    private final Map<String, ExecutorReport.Unmeasured> unmeasured = new TreeMap<>();
    private final Map<String, String> seen = new TreeMap<>();
    private final Map<String, Map<Integer, Long>> cpuNanos = new TreeMap<>();
    private final Map<String, Integer> tasks = new TreeMap<>();
    private final Map<Integer, Stage> stages = new TreeMap<>();
    private final Map<Integer, Job> jobs = new TreeMap<>();

    /** Takes an executor's report; an older report arriving late never replaces a newer one. */
    synchronized void record(ExecutorReport report) {
        seen.putIfAbsent(report.executorId(), report.host());
        switch (report) {
            case ExecutorReport.Sample sample -> {
                ExecutorReport.Sample before = samples.get(sample.executorId());
                if (!unmeasured.containsKey(sample.executorId())
                        && (before == null || before.pid() != sample.pid() || sample.sequence() > before.sequence())) {
                    samples.put(sample.executorId(), sample);
                }
            }
            case ExecutorReport.Unmeasured failure -> {
                unmeasured.put(failure.executorId(), failure);
                samples.remove(failure.executorId());
            }
        }
    }

    synchronized void executorSeen(String executorId, String host) {
        seen.putIfAbsent(executorId, host);
    }

    synchronized void taskEnded(String executorId, String host, int stageId, long executorCpuNanos) {
        seen.putIfAbsent(executorId, host);
        cpuNanos.computeIfAbsent(executorId, e -> new TreeMap<>()).merge(stageId, Math.max(executorCpuNanos, 0),
                Long::sum);
        tasks.merge(executorId, 1, Integer::sum);
    }

    synchronized void jobStarted(int jobId, Map<Integer, String> stageNames) {
        jobs.put(jobId, new Job(jobId, List.copyOf(stageNames.keySet()), "running"));
        stageNames.forEach((stage, name) -> stages.putIfAbsent(stage, new Stage(stage, name, jobId)));
    }

    synchronized void jobEnded(int jobId, boolean succeeded) {
        Job job = jobs.get(jobId);
        if (job != null) {
            jobs.put(jobId, new Job(jobId, job.stages(), succeeded ? "succeeded" : "failed"));
        }
    }

    /** Whether the executor sent its last report (or failed): the driver need not wait for it any longer. */
    synchronized boolean finished(String executorId) {
        ExecutorReport.Sample sample = samples.get(executorId);
        return unmeasured.containsKey(executorId) || sample != null && sample.last();
    }

    synchronized Snapshot snapshot() {
        Map<String, Map<Integer, Long>> cpu = new TreeMap<>();
        cpuNanos.forEach((executor, byStage) -> cpu.put(executor, Map.copyOf(byStage)));
        return new Snapshot(new LinkedHashMap<>(samples), new LinkedHashMap<>(unmeasured), new LinkedHashMap<>(seen),
                cpu, new LinkedHashMap<>(tasks), new LinkedHashMap<>(stages), new LinkedHashMap<>(jobs));
    }
}
