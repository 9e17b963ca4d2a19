package dev.verdant.energy.jfr;

import dev.verdant.energy.Component;
import dev.verdant.energy.EnergyReport;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The JFR event {@code dev.verdant.TrackedTask}: a tracked run or one of its named tasks, from its start to its
 * stop, with the energy and CO2e it used. A duration event, so JDK Mission Control lays it on the threads' timeline
 * beside the work it measured. Begun when the run or task starts; committed at its stop when a recording has it
 * enabled.
 */
@Name(TrackedTaskEvent.NAME)
@Label("Tracked Task")
@Category({"Verdant", "Energy"})
@Description("A tracked run or one of its tasks, with the energy and CO2e it used")
@StackTrace(false)
public final class TrackedTaskEvent extends ComponentEnergyEvent {

    /** The event's name in a recording. */
    public static final String NAME = "dev.verdant.TrackedTask";

    @Label("Kind")
    @Description("run (a whole tracked run) or task (a named slice of one)")
    String kind;

    @Label("Name")
    String name;

    @Label("Run")
    @Description("The run this task belongs to; a run's own name")
    String run;

    @Label("Run ID")
    String runId;

    @Label("Project")
    String project;

    @Label("Facility Energy (J)")
    @Description("IT energy times PUE")
    double facilityJoules;

    @Label("CO2e (g)")
    double co2eGrams;

    private TrackedTaskEvent() {
    }

    /** An event begun now, for a run or task that starts now. */
    public static TrackedTaskEvent begun() {
        TrackedTaskEvent event = new TrackedTaskEvent();
        event.begin();
        return event;
    }

    /**
     * Ends the event now and commits it with {@code report}'s figures when a recording has it enabled.
     *
     * @param kind {@code run} or {@code task}
     * @param run  the name of the run the report belongs to
     */
    public void finish(String kind, String run, EnergyReport report) {
        end();
        if (!shouldCommit()) {
            return;
        }
        this.kind = kind;
        this.name = report.name();
        this.run = run;
        this.runId = report.runId();
        this.project = report.project();
        this.method = report.method().label();
        this.cpuJoules = report.energy(Component.CPU).joules();
        this.gpuJoules = report.energy(Component.GPU).joules();
        this.ramJoules = report.energy(Component.RAM).joules();
        this.itJoules = report.itEnergy().joules();
        this.facilityJoules = report.totalEnergy().joules();
        this.co2eGrams = report.emissions().grams();
        commit();
    }
}
