package dev.verdant.cli.command;

import dev.verdant.io.AtomicFiles;
import dev.verdant.io.RunFiles;
import dev.verdant.cli.ExitCode;
import dev.verdant.charts.ChartInput;
import dev.verdant.charts.EmissionsCsv;
import dev.verdant.charts.EmissionsPage;
import dev.verdant.charts.RecordedRun;
import dev.verdant.charts.SchedulePage;
import dev.verdant.charts.SchedulePlan;
import dev.verdant.charts.TrackJsonFiles;
import dev.verdant.cli.option.OutputOptions;
import dev.verdant.io.Json;
import dev.verdant.report.HtmlReport;
import dev.verdant.report.Report;
import dev.verdant.report.ReportJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code verdant report}: one self-contained HTML page from a results file, from what {@code verdant track} recorded
 * (emissions and energy over time), or from a {@code verdant schedule --json} result (the forecast and the chosen
 * window).
 */
@Command(
        name = "report",
        header = "Render results, tracked runs or a schedule as one self-contained HTML page.",
        mixinStandardHelpOptions = true,
        description = {"Render as one self-contained HTML page:",
                "  a results file (verdant bench --output, verdant compress --json, or a report JSON; see "
                        + "docs/report-format.md): Pareto chart, candidates, size, time and energy bars, per-layer "
                        + "view, Green AI card;",
                "  emissions.csv and/or runs' JSON files written by verdant track: emissions over time by project, "
                        + "energy by run, project and component, with each run's method;",
                "  a verdant schedule --json result: each region's forecast with the chosen window shaded and the "
                        + "intensity saved."})
public final class ReportCommand implements Callable<Integer> {

    @Mixin
    OutputOptions console;

    @Parameters(arity = "1..*", paramLabel = "FILE",
            description = "A results or schedule JSON, or any number of emissions.csv and track JSON files.")
    List<Path> inputs;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "report.html",
            description = "Where to write the page (default ${DEFAULT-VALUE}); written atomically.")
    Path output;

    @Option(names = "--title", paramLabel = "TEXT", description = "The results page's heading instead of the one "
            + "derived from the results.")
    String title;

    @Override
    public Integer call() {
        RunFiles files = RunFiles.none().reading(inputs.toArray(Path[]::new)).writing("-o", output).check();
        List<ChartInput> kinds = inputs.stream().map(ChartInput::of).toList();
        boolean tracked = kinds.stream().allMatch(k -> k == ChartInput.EMISSIONS_CSV || k == ChartInput.TRACK_JSON);
        if (tracked) {
            List<RecordedRun> runs = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                runs.addAll(kinds.get(i) == ChartInput.EMISSIONS_CSV ? EmissionsCsv.read(inputs.get(i))
                        : TrackJsonFiles.read(List.of(inputs.get(i))));
            }
            String html = EmissionsPage.render(runs, inputs.stream().map(p -> p.getFileName().toString()).toList(),
                    ZoneId.systemDefault());
            return write(html, files, "emissions", runs.size() + " runs");
        }
        if (inputs.size() > 1) {
            throw new IllegalArgumentException("give one results or schedule JSON, or any number of emissions.csv "
                    + "and track JSON files; got " + inputs.size() + " files of kinds " + kinds);
        }
        Path input = inputs.getFirst();
        if (kinds.getFirst() == ChartInput.SCHEDULE_JSON) {
            SchedulePlan plan = SchedulePlan.read(input);
            return write(SchedulePage.render(plan, input.getFileName().toString()), files, "schedule",
                    plan.regions().size() + " regions");
        }
        Report report = ReportJson.read(input);
        if (title != null) {
            report = new Report(report.kind(), report.schemaVersion(), title, report.run(), report.machine(),
                    report.models(), report.candidates(), report.layers(), report.card(), report.energy(),
                    report.findings(), report.notes());
        }
        String html = HtmlReport.render(report);
        AtomicFiles.write(output, html.getBytes(StandardCharsets.UTF_8), files.inputArray());
        if (console.json()) {
            console.out().println(ReportJson.write(report));
        } else {
            console.out().printf("wrote %s (%,d bytes, %d candidates)%n", output,
                    html.getBytes(StandardCharsets.UTF_8).length,
                    report.candidates().size());
        }
        return ExitCode.OK;
    }

    private int write(String html, RunFiles files, String kind, String what) {
        byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(output, bytes, files.inputArray());
        if (console.json()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("kind", kind);
            json.put("output", output.toString());
            json.put("bytes", bytes.length);
            console.out().println(Json.write(json));
        } else {
            console.out().printf("wrote %s (%,d bytes, %s)%n", output, bytes.length, what);
        }
        return ExitCode.OK;
    }
}
