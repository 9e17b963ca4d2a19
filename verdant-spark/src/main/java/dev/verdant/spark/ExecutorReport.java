package dev.verdant.spark;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What an executor's plugin tells the driver over the plugin RPC: its cumulative energy so far, or that its meter
 * failed. Java-serialized by Spark, so every field is a plain value.
 */
public sealed interface ExecutorReport extends Serializable {

    /** The executor's id as Spark names it ({@code driver} for local mode's one executor). */
    String executorId();

    /** The host the executor runs on. */
    String host();

    /** The executor JVM's process id. */
    long pid();

    /**
     * The executor's energy since its plugin started, as its tracker read it.
     *
     * @param executorId       Spark's executor id
     * @param host             the executor's host
     * @param pid              the executor JVM's process id
     * @param sequence         1 for the first report, growing by one
     * @param elapsedNanos     time since the executor's tracker started
     * @param joules           cumulative IT energy by component label ({@code cpu}, {@code ram}, {@code gpu})
     * @param methods          {@code measured} or {@code estimated} by component label
     * @param meters           the meters in use, e.g. {@code estimate (cpu, ram)}
     * @param trackingMode     {@code machine} when a hardware counter covers the host, {@code process} otherwise
     * @param assumptions      what the figures assume, in sentences
     * @param pluginCpuNanos   CPU time of the plugin's own threads (its reporter and the tracker's sampler)
     * @param processCpuNanos  CPU time of the whole executor JVM
     * @param last             whether this is the report the executor sent when it stopped
     */
    record Sample(String executorId, String host, long pid, long sequence, long elapsedNanos,
            Map<String, Double> joules, Map<String, String> methods, String meters, String trackingMode,
            List<String> assumptions, long pluginCpuNanos, long processCpuNanos, boolean last)
            implements ExecutorReport {
        public Sample {
            joules = Map.copyOf(joules);
            methods = Map.copyOf(methods);
            assumptions = List.copyOf(assumptions);
        }

        /** IT energy of all components, in joules. */
        public double totalJoules() {
            return joules.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    /**
     * The executor's meter could not start or failed while reading: the executor keeps running its tasks, and its
     * energy is unknown (never zero).
     *
     * @param executorId Spark's executor id
     * @param host       the executor's host
     * @param pid        the executor JVM's process id
     * @param reason     what failed, in one sentence
     */
    record Unmeasured(String executorId, String host, long pid, String reason) implements ExecutorReport {
    }
}
