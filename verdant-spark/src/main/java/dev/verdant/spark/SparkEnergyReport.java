package dev.verdant.spark;

import dev.verdant.energy.Component;
import dev.verdant.energy.Energy;
import dev.verdant.energy.EnergyReport;
import dev.verdant.energy.Method;
import dev.verdant.energy.carbon.CarbonContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The energy of one Spark application: per process (driver and executors), per stage and per job, with CO2e and
 * the method behind each figure. {@link #toJson()} is {@code spark-energy.json}; {@link #codeCarbonReport()} is the
 * application's row of {@code emissions.csv}.
 *
 * @param appId      Spark's application id
 * @param appName    the application's name
 * @param project    the project name for the CSV
 * @param runId      the driver tracker's run id
 * @param startedAt  when the driver's plugin started
 * @param duration   how long the driver's plugin ran
 * @param carbon     the grid intensity and PUE applied to every figure, and why
 * @param driver     the driver JVM
 * @param executors  every executor Spark ran, measured or not
 * @param ledger     the tasks, stages and jobs the figures are split over
 * @param complete   whether the application had stopped (otherwise a snapshot while it runs)
 */
record SparkEnergyReport(String appId, String appName, String project, String runId, Instant startedAt,
        Duration duration, CarbonContext carbon, ProcessEnergy driver, List<ProcessEnergy> executors,
        EnergyLedger.Snapshot ledger, boolean complete) {

    /** How executor energy is measured, in the words every output repeats. */
    static final String EXECUTOR_METHOD = "each executor's JVM measured by its own Verdant tracker (RAPL or NVML "
            + "counters where the executor has them, otherwise the CPU-time estimate; see each executor's method), "
            + "sent to the driver through the Spark plugin RPC";
    /** How stage and job energy is attributed. */
    static final String STAGE_METHOD = "each executor's energy split over the stages whose tasks ran on it in "
            + "proportion to those tasks' executor CPU time (TaskMetrics.executorCpuTime), idle time included; a job "
            + "is the sum of the stages it ran; the driver's own energy is in no stage";
    /** How the application total avoids counting anything twice. */
    static final String TOTAL_METHOD = "driver plus executors, each process counted once (local mode's executor "
            + "is the driver's JVM); on a host where a counter covers the whole machine, that host counts once, at "
            + "its largest reading; unmeasured executors are left out and named, never counted as zero";

    SparkEnergyReport {
        executors = List.copyOf(executors);
    }

    /** The processes whose energy the application total counts. */
    List<ProcessEnergy> counted() {
        List<ProcessEnergy> all = new ArrayList<>();
        all.add(driver);
        all.addAll(executors);
        Map<String, ProcessEnergy> machineByHost = new HashMap<>();
        Set<String> processes = new java.util.HashSet<>();
        List<ProcessEnergy> counted = new ArrayList<>();
        for (ProcessEnergy p : all) {
            if (!p.measured()) {
                continue;
            }
            if (p.trackingMode().equals("machine")) {
                machineByHost.merge(p.host(), p, (a, b) -> a.itJoules() >= b.itJoules() ? a : b);
            } else if (processes.add(p.host() + "/" + p.pid())) {
                counted.add(p);
            }
        }
        counted.removeIf(p -> machineByHost.containsKey(p.host()));
        counted.addAll(machineByHost.values());
        return counted;
    }

    /** IT energy of the counted processes, by component. */
    Map<Component, Energy> itEnergy() {
        Map<Component, Energy> energy = new EnumMap<>(Component.class);
        for (ProcessEnergy p : counted()) {
            p.joules().forEach((label, joules) -> energy.merge(Component.valueOf(label.toUpperCase(java.util.Locale.ROOT)),
                    Energy.ofJoules(joules), Energy::plus));
        }
        return energy;
    }

    /** Estimated as soon as one counted process is. */
    Method method() {
        return counted().stream().map(p -> p.method().equals("estimated") ? Method.ESTIMATED : Method.MEASURED)
                .reduce(Method.MEASURED, Method::and);
    }

    /** Executors whose energy is unknown. */
    List<String> unmeasuredExecutors() {
        return executors.stream().filter(p -> !p.measured()).map(ProcessEnergy::id).toList();
    }

    StageAttribution.Split split() {
        Map<String, Double> joules = new LinkedHashMap<>();
        for (ProcessEnergy executor : executors) {
            if (executor.measured()) {
                joules.put(executor.id(), executor.itJoules());
            }
        }
        return StageAttribution.split(joules, ledger.cpuNanos());
    }

    double facilityJoules(double itJoules) {
        return itJoules * carbon.pue();
    }

    double co2eKilograms(double itJoules) {
        return carbon.grid().intensity().emissionsOf(Energy.ofJoules(facilityJoules(itJoules))).kilograms();
    }

    /** The application as one row of CodeCarbon's CSV. */
    EnergyReport codeCarbonReport(EnergyReport.Hardware hardware) {
        Map<Component, Energy> energy = itEnergy();
        Map<Component, Method> methods = new EnumMap<>(Component.class);
        Map<Component, String> resolutions = new EnumMap<>(Component.class);
        Method method = method();
        energy.keySet().forEach(c -> {
            methods.put(c, method);
            resolutions.put(c, "see spark-energy.json");
        });
        List<String> assumptions = new ArrayList<>(List.of(EXECUTOR_METHOD, TOTAL_METHOD));
        assumptions.addAll(carbon.assumptions());
        if (!unmeasuredExecutors().isEmpty()) {
            assumptions.add("unmeasured executors, not in the total: " + unmeasuredExecutors());
        }
        boolean machine = counted().stream().anyMatch(p -> p.trackingMode().equals("machine"));
        return new EnergyReport(appName, project, runId, startedAt, duration, energy, methods, resolutions,
                carbon.pue(), carbon.grid(), hardware, machine ? "machine" : "process", assumptions, List.of());
    }

    /** {@code spark-energy.json}: ordered maps, ready for Jackson. */
    Map<String, Object> toJson() {
        StageAttribution.Split split = split();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("complete", complete);
        Map<String, Object> app = new LinkedHashMap<>();
        app.put("id", appId);
        app.put("name", appName);
        app.put("project", project);
        app.put("run_id", runId);
        app.put("started_at", startedAt.toString());
        app.put("duration_s", duration.toNanos() / 1e9);
        double it = itEnergy().values().stream().mapToDouble(Energy::joules).sum();
        putEnergy(app, it, method().label());
        app.put("counted", counted().stream().map(p -> p.role().equals("driver") ? "driver" : "executor " + p.id())
                .toList());
        app.put("unmeasured_executors", unmeasuredExecutors());
        app.put("counting", TOTAL_METHOD);
        json.put("application", app);

        Map<String, Object> grid = new LinkedHashMap<>();
        grid.put("key", carbon.grid().key());
        grid.put("name", carbon.grid().name());
        grid.put("intensity_g_per_kwh", carbon.grid().intensity().gramsPerKilowattHour());
        grid.put("source", carbon.grid().source());
        grid.put("pue", carbon.pue());
        grid.put("assumptions", carbon.assumptions());
        json.put("carbon", grid);

        json.put("driver", process(driver, null, split));
        List<Object> executorList = new ArrayList<>();
        for (ProcessEnergy executor : executors) {
            executorList.add(process(executor, executor.id(), split));
        }
        json.put("executors", executorList);
        json.put("executor_method", EXECUTOR_METHOD);

        List<Object> stages = new ArrayList<>();
        Map<Integer, Integer> stageJob = new HashMap<>();
        ledger.stages().forEach((id, stage) -> stageJob.put(id, stage.jobId()));
        for (Map.Entry<Integer, Double> stage : split.joules().entrySet()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("stage_id", stage.getKey());
            EnergyLedger.Stage info = ledger.stages().get(stage.getKey());
            s.put("name", info == null ? "" : info.name());
            s.put("job_id", info == null ? null : info.jobId());
            long cpu = ledger.cpuNanos().values().stream().mapToLong(m -> m.getOrDefault(stage.getKey(), 0L)).sum();
            s.put("executor_cpu_s", cpu / 1e9);
            Set<String> missing = split.missingExecutors().getOrDefault(stage.getKey(), Set.of());
            putEnergy(s, stage.getValue(), stageMethod(split.byExecutor().getOrDefault(stage.getKey(), Map.of())));
            s.put("by_executor_j", split.byExecutor().getOrDefault(stage.getKey(), Map.of()));
            s.put("lacks_unmeasured_executors", List.copyOf(missing));
            stages.add(s);
        }
        json.put("stages", stages);
        Map<Integer, Double> jobJoules = StageAttribution.jobs(split.joules(), stageJob);
        List<Object> jobs = new ArrayList<>();
        for (EnergyLedger.Job job : ledger.jobs().values()) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("job_id", job.jobId());
            j.put("status", job.status());
            List<Integer> ran = job.stages().stream().filter(s -> Integer.valueOf(job.jobId()).equals(stageJob.get(s)))
                    .filter(split.joules()::containsKey).toList();
            j.put("stages_run", ran);
            Set<String> missing = new TreeSet<>();
            ran.forEach(s -> missing.addAll(split.missingExecutors().getOrDefault(s, Set.of())));
            putEnergy(j, jobJoules.getOrDefault(job.jobId(), 0.0), method().label());
            j.put("lacks_unmeasured_executors", List.copyOf(missing));
            jobs.add(j);
        }
        json.put("jobs", jobs);
        json.put("stage_method", STAGE_METHOD);
        return json;
    }

    private String stageMethod(Map<String, Double> byExecutor) {
        boolean estimated = executors.stream().filter(p -> byExecutor.containsKey(p.id()))
                .anyMatch(p -> p.method().equals("estimated"));
        return estimated ? "estimated" : "measured";
    }

    private void putEnergy(Map<String, Object> target, double itJoules, String method) {
        target.put("it_energy_j", itJoules);
        target.put("energy_j", facilityJoules(itJoules));
        target.put("energy_kwh", Energy.ofJoules(facilityJoules(itJoules)).kilowattHours());
        target.put("co2e_kg", co2eKilograms(itJoules));
        target.put("method", method);
    }

    private Map<String, Object> process(ProcessEnergy p, String executorId, StageAttribution.Split split) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("host", p.host());
        m.put("pid", p.pid());
        m.put("status", p.status());
        if (!p.reason().isEmpty()) {
            m.put("reason", p.reason());
        }
        if (p.measured()) {
            putEnergy(m, p.itJoules(), p.method());
            m.put("components_j", p.joules());
            m.put("meters", p.meters());
            m.put("tracking_mode", p.trackingMode());
            m.put("duration_s", p.durationSeconds());
            m.put("final_report", p.finalReport());
        } else {
            m.put("energy_j", null);   // unknown, never zero
        }
        boolean sharesDriver = executorId != null && p.pid() == driver.pid() && p.host().equals(driver.host());
        m.put("in_driver_process", sharesDriver);
        m.put("counted_in_total", counted().contains(p));
        if (executorId != null) {
            m.put("tasks", ledger.tasks().getOrDefault(executorId, 0));
            long cpu = ledger.cpuNanos().getOrDefault(executorId, Map.of()).values().stream()
                    .mapToLong(Long::longValue).sum();
            m.put("tasks_executor_cpu_s", cpu / 1e9);
            if (p.measured()) {
                m.put("unattributed_it_energy_j", split.unattributed().getOrDefault(executorId, 0.0));
            }
        }
        if (p.pluginCpuNanos() >= 0) {
            m.put("verdant_cpu_s", p.pluginCpuNanos() / 1e9);
            m.put("process_cpu_s", p.processCpuNanos() / 1e9);
            m.put("verdant_cpu_share", p.processCpuNanos() > 0 ? (double) p.pluginCpuNanos() / p.processCpuNanos()
                    : null);
        }
        m.put("assumptions", p.assumptions());
        return m;
    }
}
