package dev.verdant.optimize;

import dev.verdant.io.AtomicFiles;
import dev.verdant.optimize.CandidateResult.ModelFacts;
import dev.verdant.report.HtmlReport;
import dev.verdant.report.ParetoFront;
import dev.verdant.report.Report;
import dev.verdant.report.Report.Candidate;
import dev.verdant.report.Report.GreenAiCard;
import dev.verdant.report.Report.ModelEntry;
import dev.verdant.report.RunInfo;
import dev.verdant.report.ReportJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns a search's result into the report every Verdant command shares: the JSON record and the HTML page. */
public final class OptimizeReport {

    private OptimizeReport() {
    }

    /** Writes the report as HTML and as JSON ({@code kind = "report"}), each atomically. */
    public static void write(OptimizeResult result, OptimizeRequest request, Path html, Path json) {
        Report report = build(result, request.command());
        byte[] page = HtmlReport.render(report).getBytes(StandardCharsets.UTF_8);
        byte[] record = ReportJson.write(report).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(html, page);
        AtomicFiles.write(json, record);
    }

    /** The report of a search: one candidate per operating point, the chosen model's layers and Green AI card. */
    public static Report build(OptimizeResult result, String command) {
        OperatingPoint chosen = result.chosen();
        List<ModelEntry> models = new ArrayList<>();
        List<Candidate> candidates = new ArrayList<>();
        for (CandidateResult c : result.candidates()) {
            if (!c.succeeded()) {
                continue;
            }
            String role = c == chosen.candidate() ? "chosen" : c.plan().isOriginal() ? "original" : "candidate";
            ModelFacts f = c.facts();
            models.add(new ModelEntry(c.plan().id(), role, f.bytes(), f.params(), f.quantizedParams(), f.macs(),
                    f.flops(), null));
        }
        for (OperatingPoint p : result.points()) {
            candidates.add(new Candidate(p.name(), p.candidate().plan().id(), configuration(p), p.score(),
                    p.candidate().quality() == null ? null : p.candidate().quality().scoreMetric(),
                    p.facts().bytes(), p.measurement().millisPerInference(), p.measurement().p50Millis(),
                    p.measurement().p99Millis(), p.measurement().inferencesPerSecond(),
                    p.measurement().peakResidentBytes() > 0 ? p.measurement().peakResidentBytes() : null,
                    p.measurement().energyJoulesPerInference(), p.measurement().co2eGramsPerMillionInferences(),
                    p.candidate().energyMethod(), false));
        }
        var machine = result.machine();
        ModelFacts f = chosen.facts();
        GreenAiCard card = new GreenAiCard(chosen.name(), chosen.score(),
                chosen.candidate().quality() == null ? null : chosen.candidate().quality().scoreMetric(),
                f.params() + f.quantizedParams(), f.macs(), f.flops(),
                chosen.measurement().energyJoulesPerInference(), chosen.candidate().energyMethod(),
                chosen.measurement().co2eGramsPerMillionInferences(), null,
                machine == null ? null : machine.cpuModel() + ", " + chosen.measurement().threads() + " thread"
                        + (chosen.measurement().threads() == 1 ? "" : "s"));
        RunInfo run = new RunInfo("verdant optimize", command, Instant.now().minusMillis(
                Math.round(result.seconds() * 1000)).toString(), result.seconds(), result.inputs());
        Report report = new Report(Report.KIND, Report.SCHEMA_VERSION, "verdant optimize: " + result.model(), run,
                machine, models, candidates, result.layers(), card, result.energy(), findings(result),
                notes(result));
        return ParetoFront.choose(report.candidates()).map(o -> ParetoFront.flagged(report, o)).orElse(report);
    }

    /** The headline sentences: what was chosen, against the original, and how the search went. */
    static List<String> findings(OptimizeResult result) {
        OperatingPoint chosen = result.chosen();
        OperatingPoint before = result.original();
        List<String> findings = new ArrayList<>();
        Objective objective = result.objective();
        findings.add(String.format(Locale.ROOT, "Chosen for %s: %s, %s against %s for the original at %d thread%s "
                        + "(%s).", objective.label(), chosen.name(), objective.format(objective.value(chosen)),
                objective.format(objective.value(before)), before.measurement().threads(),
                before.measurement().threads() == 1 ? "" : "s", change(objective.value(chosen),
                        objective.value(before))));
        if (chosen.score() != null && before.score() != null) {
            findings.add(String.format(Locale.ROOT, "%s: %.4f, original %.4f; tolerance: %s.",
                    chosen.candidate().quality().scoreMetric(), chosen.score(), before.score(),
                    String.join("; ", result.tolerances())));
        }
        long met = result.candidates().stream().filter(c -> c.succeeded() && !c.plan().isOriginal())
                .filter(c -> result.points().stream().anyMatch(p -> p.candidate() == c && p.meetsTolerance()))
                .count();
        long failed = result.candidates().stream().filter(c -> !c.succeeded()).count();
        int tried = result.candidates().size() - 1;
        findings.add(String.format(Locale.ROOT, "%d candidate%s tried (%d met the tolerance%s), %d operating points, "
                        + "%d on the Pareto front of quality, energy and size%s.", tried, tried == 1 ? "" : "s", met, failed > 0 ? ", " + failed + " could not be built" : "",
                result.points().size(), result.front().size(), result.skipped().isEmpty() ? ""
                        : "; the budget ended the search with " + result.skipped().size() + " untried"));
        return findings;
    }

    private static List<String> notes(OptimizeResult result) {
        List<String> notes = new ArrayList<>();
        notes.add("every candidate was built with verdant compress, checked against the original on real inputs "
                + "in ONNX Runtime, and timed with verdant bench at each thread count side by side with the original "
                + "(alternating blocks); a candidate's time and energy are the original's scaled by those ratios, so "
                + "candidates measured minutes apart on a loaded machine stay comparable");
        notes.add("the Pareto front of the search weighs three objectives (quality, energy per inference, size); "
                + "the chart shows two of them");
        for (CandidateResult c : result.candidates()) {
            if (!c.succeeded()) {
                notes.add(c.plan().id() + " could not be built: " + c.error());
            }
        }
        if (!result.skipped().isEmpty()) {
            notes.add("untried when the budget ran out: " + String.join(", ", result.skipped()));
        }
        return notes;
    }

    private static String configuration(OperatingPoint p) {
        CandidatePlan plan = p.candidate().plan();
        return (plan.isOriginal() ? "original" : plan.id()) + ", " + p.measurement().threads() + " thread"
                + (p.measurement().threads() == 1 ? "" : "s") + ", batch " + p.measurement().batchSize();
    }

    /** {@code 43% lower}, {@code 12% higher} or {@code the same}. */
    static String change(double after, double before) {
        if (before == 0 || after == before) {
            return "the same";
        }
        double percent = (after - before) / before * 100;
        return String.format(Locale.ROOT, "%.0f%% %s", Math.abs(percent), percent < 0 ? "lower" : "higher");
    }
}
