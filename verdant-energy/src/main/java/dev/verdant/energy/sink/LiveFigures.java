package dev.verdant.energy.sink;

import dev.verdant.energy.Component;
import dev.verdant.energy.EnergyReport;
import dev.verdant.energy.EnergySample;
import dev.verdant.energy.Method;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The figures of every run a tracker reported, by run name: what a metrics system reads when it is scraped or
 * collects (Prometheus, Micrometer, OpenTelemetry). Energy and emissions are counters: under one name they add up
 * the runs that ended and those still going, and never go down (a late sample after a run's report is not counted
 * again). Power is the sum over the runs of that name still going, and unknown (NaN) when none is. Every run name
 * stays for the life of this object, so a long-running service should reuse a few stable run names ("inference",
 * "retrain") rather than unique ones. Thread-safe.
 */
public final class LiveFigures implements EnergySink {

    /**
     * One component of one run.
     *
     * @param run       the run's name
     * @param component the hardware component
     * @param method    how its meter obtains the figure
     * @param joules    cumulative IT energy of the runs of this name
     * @param watts     average power over the last sampling interval of the runs of this name still going; NaN
     *                  when none is
     * @param live      whether a run of this name still goes
     */
    public record Reading(String run, Component component, Method method, double joules, double watts, boolean live) {
    }

    /**
     * One run's emissions.
     *
     * @param run    the run's name
     * @param method estimated if any component was estimated
     * @param grams  CO2e of the facility energy of the runs of this name so far
     * @param live   whether a run of this name still goes
     */
    public record RunEmissions(String run, Method method, double grams, boolean live) {
    }

    /**
     * The tasks of one name in the runs of one name, added up: a training loop's {@code epoch} tasks are one series.
     *
     * @param run          the run's name
     * @param task         the task's name
     * @param method       estimated if any component was estimated
     * @param energyJoules IT energy by component
     * @param grams        CO2e of the tasks' facility energy
     * @param count        how many tasks of this name ended
     */
    public record TaskTotals(String run, String task, Method method, Map<Component, Double> energyJoules, double grams,
                             long count) {
        public TaskTotals {
            energyJoules = Map.copyOf(energyJoules);
        }
    }

    /** What happened to a run: told to a listener after the figures changed. */
    public interface Listener {
        /** A reading for a component this object had not seen for this run. */
        default void onNewReading(Reading reading) {
        }

        /** A run this object had not seen. */
        default void onNewRun(RunEmissions run) {
        }

        /** A run ended: its power is gone, its energy and emissions stay. */
        default void onRunEnded(String run) {
        }

        /** A task of a name (in a run of a name) this object had not seen. */
        default void onNewTask(TaskTotals task) {
        }
    }

    /** What one run id contributed so far: cumulative joules by component, power, grams. */
    private record Contribution(Map<Component, Double> joules, Map<Component, Double> watts, double grams) {

        Contribution atLeast(Contribution older) {
            Map<Component, Double> merged = new EnumMap<>(Component.class);
            merged.putAll(older.joules());
            joules.forEach((component, value) -> merged.merge(component, value, Math::max));
            return new Contribution(merged, watts, Math.max(grams, older.grams()));
        }
    }

    /**
     * Everything seen under one run name: runs that ended (summed), runs still going (by run id), the method of
     * each component, and the last run ids that ended (a late sample of one must not count it again).
     */
    private static final class NamedRuns {
        final Map<Component, Double> endedJoules = new EnumMap<>(Component.class);
        double endedGrams;
        final Map<String, Contribution> live = new LinkedHashMap<>();
        final Map<Component, Method> methods = new EnumMap<>(Component.class);
        Method method = Method.MEASURED;
        final Deque<String> endedIds = new ArrayDeque<>();
    }

    private static final int ENDED_IDS_KEPT = 64;

    private final Map<String, NamedRuns> runs = new HashMap<>();
    private final Map<List<String>, TaskTotals> tasks = new HashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    /** Tells {@code listener} of every run and reading from now on, after first replaying those already seen. */
    public synchronized void addListener(Listener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        for (RunEmissions run : runs()) {
            listener.onNewRun(run);
        }
        for (Reading reading : readings()) {
            listener.onNewReading(reading);
        }
        for (TaskTotals task : tasks()) {
            listener.onNewTask(task);
        }
    }

    /** Every task of every run, sorted by run then task. */
    public synchronized List<TaskTotals> tasks() {
        return tasks.values().stream().sorted(java.util.Comparator.comparing(TaskTotals::run)
                .thenComparing(TaskTotals::task)).toList();
    }

    /** The totals of the tasks named {@code task} in the runs named {@code run}, or null when none ended. */
    public synchronized TaskTotals task(String run, String task) {
        return tasks.get(List.of(run, task));
    }

    @Override
    public void onTask(String runName, EnergyReport task) {
        TaskTotals added;
        boolean fresh;
        synchronized (this) {
            List<String> key = List.of(runName, task.name());
            TaskTotals before = tasks.get(key);
            fresh = before == null;
            Map<Component, Double> joules = new EnumMap<>(Component.class);
            if (before != null) {
                joules.putAll(before.energyJoules());
            }
            task.energy().forEach((component, energy) -> joules.merge(component, energy.joules(), Double::sum));
            added = new TaskTotals(runName, task.name(), before == null ? task.method() : before.method().and(task.method()),
                    joules, (before == null ? 0 : before.grams()) + task.emissions().grams(),
                    (before == null ? 0 : before.count()) + 1);
            tasks.put(key, added);
            if (fresh) {
                for (Listener listener : listeners) {
                    listener.onNewTask(added);
                }
            }
        }
    }

    /** Every component of every run, sorted by run then component. */
    public synchronized List<Reading> readings() {
        List<Reading> all = new ArrayList<>();
        new TreeMap<>(runs).forEach((run, named) -> {
            for (Component component : named.methods.keySet()) {
                all.add(readingOf(run, named, component));
            }
        });
        return all;
    }

    /** Every run's emissions, sorted by run. */
    public synchronized List<RunEmissions> runs() {
        List<RunEmissions> all = new ArrayList<>();
        new TreeMap<>(runs).forEach((run, named) -> all.add(emissionsOf(run, named)));
        return all;
    }

    /** The latest reading of one component of one run, or null when none came. */
    public synchronized Reading reading(String run, Component component) {
        NamedRuns named = runs.get(run);
        return named == null || !named.methods.containsKey(component) ? null : readingOf(run, named, component);
    }

    /** The latest emissions of one run, or null when none came. */
    public synchronized RunEmissions emissions(String run) {
        NamedRuns named = runs.get(run);
        return named == null ? null : emissionsOf(run, named);
    }

    private static Reading readingOf(String run, NamedRuns named, Component component) {
        double joules = named.endedJoules.getOrDefault(component, 0.0);
        double watts = named.live.isEmpty() ? Double.NaN : 0;
        for (Contribution contribution : named.live.values()) {
            joules += contribution.joules().getOrDefault(component, 0.0);
            watts += contribution.watts().getOrDefault(component, 0.0);
        }
        return new Reading(run, component, named.methods.get(component), joules, watts, !named.live.isEmpty());
    }

    private static RunEmissions emissionsOf(String run, NamedRuns named) {
        double grams = named.endedGrams;
        for (Contribution contribution : named.live.values()) {
            grams += contribution.grams();
        }
        return new RunEmissions(run, named.method, grams, !named.live.isEmpty());
    }

    @Override
    public void onSample(EnergySample sample) {
        Map<Component, Double> watts = new EnumMap<>(Component.class);
        sample.power().forEach((component, power) -> watts.put(component, power.watts()));
        Map<Component, Double> joules = new EnumMap<>(Component.class);
        sample.cumulative().forEach((component, energy) -> joules.put(component, energy.joules()));
        update(sample.runName(), sample.runId(), new Contribution(joules, watts, sample.emissions().grams()),
                sample.methods(), sample.method(), false);
    }

    @Override
    public void onReport(EnergyReport report) {
        Map<Component, Double> joules = new EnumMap<>(Component.class);
        report.energy().forEach((component, energy) -> joules.put(component, energy.joules()));
        update(report.name(), report.runId(), new Contribution(joules, Map.of(), report.emissions().grams()),
                report.methods(), report.method(), true);
    }

    private synchronized void update(String run, String runId, Contribution contribution,
                                     Map<Component, Method> methods, Method method, boolean ended) {
        NamedRuns named = runs.get(run);
        boolean newRun = named == null;
        if (newRun) {
            named = new NamedRuns();
            runs.put(run, named);
        }
        if (named.endedIds.contains(runId)) {
            return; // a late sample of a run already counted in full
        }
        Contribution before = named.live.get(runId);
        Contribution now = before == null ? contribution : contribution.atLeast(before);
        List<Component> freshComponents = new ArrayList<>();
        for (Component component : now.joules().keySet()) {
            if (named.methods.put(component, methods.getOrDefault(component, method)) == null) {
                freshComponents.add(component);
            }
        }
        named.method = named.method.and(method);
        boolean endedNow = false;
        if (ended) {
            named.live.remove(runId);
            for (Map.Entry<Component, Double> entry : now.joules().entrySet()) {
                named.endedJoules.merge(entry.getKey(), entry.getValue(), Double::sum);
            }
            named.endedGrams += now.grams();
            named.endedIds.addLast(runId);
            if (named.endedIds.size() > ENDED_IDS_KEPT) {
                named.endedIds.removeFirst();
            }
            endedNow = named.live.isEmpty();
        } else {
            named.live.put(runId, now);
        }
        for (Listener listener : listeners) {
            if (newRun) {
                listener.onNewRun(emissionsOf(run, named));
            }
            for (Component component : freshComponents) {
                listener.onNewReading(readingOf(run, named, component));
            }
            if (endedNow) {
                listener.onRunEnded(run);
            }
        }
    }
}
