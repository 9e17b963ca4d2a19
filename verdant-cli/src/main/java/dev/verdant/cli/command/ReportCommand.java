package dev.verdant.cli.command;

import dev.verdant.io.AtomicFiles;
import dev.verdant.io.RunFiles;
import dev.verdant.cli.ExitCode;
import dev.verdant.cli.option.OutputOptions;
import dev.verdant.report.HtmlReport;
import dev.verdant.report.Report;
import dev.verdant.report.ReportJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code verdant report}: one self-contained HTML page from a results file. */
@Command(
        name = "report",
        header = "Render a results file as one self-contained HTML report.",
        mixinStandardHelpOptions = true,
        description = "Render a results file (verdant bench --output, verdant compress --json, or a report JSON; "
                + "see docs/report-format.md) as one self-contained HTML page: Pareto chart, candidates, size, time "
                + "and energy bars, per-layer view, Green AI card.")
public final class ReportCommand implements Callable<Integer> {

    @Mixin
    OutputOptions console;

    @Parameters(index = "0", paramLabel = "RESULTS.json", description = "The results file.")
    Path results;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "report.html",
            description = "Where to write the page (default ${DEFAULT-VALUE}); written atomically.")
    Path output;

    @Option(names = "--title", paramLabel = "TEXT", description = "The page's heading instead of the one derived "
            + "from the results.")
    String title;

    @Override
    public Integer call() {
        RunFiles files = RunFiles.none().reading(results).writing("-o", output).check();
        Report report = ReportJson.read(results);
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
}
