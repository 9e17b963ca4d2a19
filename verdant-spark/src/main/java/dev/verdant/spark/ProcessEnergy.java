package dev.verdant.spark;

import java.util.List;
import java.util.Map;

/**
 * The energy of one JVM of the application, the driver's or an executor's, as far as it is known.
 *
 * @param role            {@code driver} or {@code executor}
 * @param id              {@code driver}, or Spark's executor id
 * @param host            the host it ran on
 * @param pid             its process id, or -1 when it never reported
 * @param status          {@code measured}; {@code unmeasured} when its meter failed; {@code silent} when Spark ran
 *                        it but it never reported
 * @param reason          why it is not measured, or empty
 * @param joules          IT energy by component label; empty when not measured
 * @param method          {@code measured} or {@code estimated}, or empty
 * @param meters          the meters that took the figures
 * @param trackingMode    {@code machine} (a counter covering the host) or {@code process}
 * @param durationSeconds how long its tracker ran
 * @param finalReport     whether the figures are those it sent when it stopped (else its last interval's)
 * @param assumptions     what the figures assume
 * @param pluginCpuNanos  CPU time of Verdant's own threads in it; -1 when unknown
 * @param processCpuNanos CPU time of the whole JVM; -1 when unknown
 */
record ProcessEnergy(String role, String id, String host, long pid, String status, String reason,
        Map<String, Double> joules, String method, String meters, String trackingMode, double durationSeconds,
        boolean finalReport, List<String> assumptions, long pluginCpuNanos, long processCpuNanos) {

    ProcessEnergy {
        joules = Map.copyOf(joules);
        assumptions = List.copyOf(assumptions);
    }

    boolean measured() {
        return status.equals("measured");
    }

    /** IT energy of all components, in joules (0 when not measured: check {@link #measured()} first). */
    double itJoules() {
        return joules.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    static ProcessEnergy of(ExecutorReport.Sample s) {
        String method = s.methods().values().contains("estimated") ? "estimated" : "measured";
        return new ProcessEnergy("executor", s.executorId(), s.host(), s.pid(), "measured", "", s.joules(), method,
                s.meters(), s.trackingMode(), s.elapsedNanos() / 1e9, s.last(), s.assumptions(), s.pluginCpuNanos(),
                s.processCpuNanos());
    }

    static ProcessEnergy unmeasured(String role, String id, String host, long pid, String status, String reason) {
        return new ProcessEnergy(role, id, host, pid, status, reason, Map.of(), "", "", "", 0, false, List.of(), -1,
                -1);
    }
}
