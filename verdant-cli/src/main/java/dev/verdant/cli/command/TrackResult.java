package dev.verdant.cli.command;

import dev.verdant.energy.Component;
import dev.verdant.energy.EnergyReport;
import dev.verdant.report.EnergyBasis;
import dev.verdant.report.Machine;
import dev.verdant.report.Result;
import dev.verdant.report.RunInfo;
import dev.verdant.report.Tracked;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link Result} of {@code verdant track} (kind {@value Result#TRACK}) made from the tracker's
 * {@link EnergyReport}: its start and duration become the result's run, its hardware the machine, its method, PUE,
 * grid and assumptions the energy basis, and its energy figures the {@link Tracked} part.
 */
final class TrackResult {

    private TrackResult() {
    }

    /** The result of tracking {@code command}, which exited with {@code exitCode}; the sinks wrote the two files. */
    static Result of(EnergyReport report, List<String> command, int exitCode, Path csv, Path json) {
        RunInfo run = new RunInfo("verdant track", null, report.startedAt().toString(), report.durationSeconds(),
                null);
        EnergyReport.Hardware hardware = report.hardware();
        Machine machine = Machine.ofThisJvm(hardware.cpuModel(), hardware.cpuCount(),
                Math.round(hardware.ramTotalGigabytes() * 1e9), null);
        EnergyBasis energy = new EnergyBasis(report.method().label(), "process".equals(report.trackingMode())
                ? "the command's process tree" : "the whole machine", report.pue(),
                report.grid().intensity().gramsPerKilowattHour(), report.grid().describe(), report.assumptions());
        Tracked tracked = new Tracked(command, exitCode, report.name(), report.project(), report.runId(),
                report.trackingMode(), components(report), report.itEnergy().kilowattHours(),
                report.totalEnergy().kilowattHours(), report.totalEnergy().joules(), report.belowResolution(),
                report.emissions().kilograms(), new Tracked.Grid(report.grid().key(), report.grid().name(),
                        report.grid().countryIso3(), report.grid().source(), report.grid().year()),
                hardware.gpuCount(), hardware.gpuModel(), tasks(report.tasks()), csv.toAbsolutePath().toString(),
                json.toAbsolutePath().toString());
        return Result.of(run, machine, energy, List.of(), tracked);
    }

    private static Map<String, Tracked.ComponentEnergy> components(EnergyReport report) {
        Map<String, Tracked.ComponentEnergy> components = new LinkedHashMap<>();
        for (Component component : report.energy().keySet()) {
            components.put(component.label(), new Tracked.ComponentEnergy(report.energy(component).joules(),
                    report.energy(component).kilowattHours(), report.averagePower(component).watts(),
                    report.methods().get(component).label(), report.resolutions().get(component)));
        }
        return components;
    }

    private static List<Tracked.Task> tasks(List<EnergyReport> tasks) {
        return tasks.stream().map(task -> new Tracked.Task(task.name(), task.startedAt().toString(),
                task.durationSeconds(), components(task), task.totalEnergy().joules(), task.emissions().kilograms(),
                tasks(task.tasks()))).toList();
    }
}
