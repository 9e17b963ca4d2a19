package dev.verdant.report;

import static dev.verdant.report.HtmlText.escape;

import dev.verdant.report.ParetoFront.Objectives;
import dev.verdant.report.Report.Candidate;
import dev.verdant.report.Report.GreenAiCard;
import dev.verdant.report.Report.LayerRow;
import dev.verdant.report.Report.ModelEntry;
import dev.verdant.report.console.Units;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Renders a {@link Report} as one self-contained HTML page: inline CSS, charts as inline SVG, no script and no
 * external resource (a Content-Security-Policy forbids fetching anything), every text from the report escaped.
 */
public final class HtmlReport {

    private static final String CSS = """
            :root { --ink: #1d2a22; --muted: #5b6b61; --line: #d8e0da; --green: #1b7837; --paper: #fbfcfa; }
            * { box-sizing: border-box; }
            body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
                   color: var(--ink); background: var(--paper); }
            main { max-width: 1120px; margin: 0 auto; padding: 24px 28px 48px; }
            header { border-bottom: 3px solid var(--green); margin-bottom: 20px; }
            h1 { font-size: 26px; margin: 0 0 4px; } h1 .leaf { vertical-align: -4px; }
            h2 { font-size: 18px; margin: 28px 0 10px; }
            .sub { color: var(--muted); margin: 0 0 12px; }
            .findings { background: #eef6ef; border-left: 4px solid var(--green); padding: 10px 16px; margin: 0; }
            .findings li { margin: 2px 0; }
            .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 16px; }
            .card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px 18px; }
            .card h2 { margin-top: 0; }
            dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
            dt { color: var(--muted); } dd { margin: 0; font-variant-numeric: tabular-nums; }
            .badge { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 12px; font-weight: 600; }
            .measured { background: #d9f0dc; color: #14532d; } .estimated { background: #fdf0d5; color: #7a4b00; }
            table { border-collapse: collapse; width: 100%; background: #fff; font-variant-numeric: tabular-nums;
                    font-size: 13px; }
            th, td { border-bottom: 1px solid var(--line); padding: 5px 6px; text-align: right; white-space: nowrap; }
            th { background: #f0f4f1; font-weight: 600; position: sticky; top: 0; }
            th:first-child, td:first-child, .text { text-align: left; }
            tr.front td:first-child { font-weight: 600; }
            .scroll { overflow-x: auto; border: 1px solid var(--line); border-radius: 8px; }
            figure { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px; }
            figcaption { color: var(--muted); font-size: 13px; padding: 4px 6px 0; }
            svg.chart { width: 100%; height: auto; display: block; }
            svg .grid { stroke: #e6ece8; } svg .frame { fill: none; stroke: #9aa9a0; }
            svg .tick, svg .legend, svg .bar-value { font-size: 11px; fill: #4a5a50; }
            svg .axis-title { font-size: 13px; fill: var(--ink); } svg .bar-label { font-size: 12px; fill: var(--ink); }
            svg .better { font-size: 12px; fill: var(--green); font-weight: 600; }
            svg .point { stroke-width: 2; } svg .front-line { fill: none; stroke: var(--green); stroke-width: 1.5;
                   stroke-dasharray: 5 3; }
            svg .point-label { font-size: 11px; fill: var(--ink); paint-order: stroke; stroke: #fff; stroke-width: 3; }
            .two { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: 16px;
                   align-items: start; }
            ul.notes { color: var(--muted); font-size: 13px; padding-left: 18px; }
            footer { color: var(--muted); font-size: 12px; margin-top: 32px; border-top: 1px solid var(--line);
                     padding-top: 8px; }
            """;

    /** A leaf drawn inline: emoji fonts are not on every machine that opens the file. */
    private static final String LEAF = "<svg class=\"leaf\" viewBox=\"0 0 24 24\" width=\"26\" height=\"26\" "
            + "aria-hidden=\"true\"><path d=\"M5 19C5 9 11 4 21 3c0 10-5 17-15 17l-1 1-1-1 1-1z\" fill=\"#1b7837\"/>"
            + "<path d=\"M6 18C9 14 12 11 16 8\" stroke=\"#fff\" stroke-width=\"1.5\" fill=\"none\"/></svg>";

    private HtmlReport() {
    }

    /** The whole page. */
    public static String render(Report report) {
        Optional<Objectives> objectives = ParetoFront.choose(report.candidates());
        Report flagged = objectives.map(o -> ParetoFront.flagged(report, o)).orElse(report);
        StringBuilder html = new StringBuilder(64 * 1024);
        html.append(pageStart(report.title()));
        header(html, flagged);
        cards(html, flagged);
        objectives.ifPresent(o -> paretoSection(html, flagged, o));
        candidatesTable(html, flagged, objectives);
        barSection(html, flagged);
        modelsTable(html, flagged);
        layersTable(html, flagged);
        methodSection(html, flagged);
        configSection(html, flagged);
        html.append(pageEnd());
        return html.toString();
    }

    /**
     * The start of a Verdant page, up to its {@code <main>}: the head with the style sheet and a Content-Security-
     * Policy that forbids fetching anything; shared by every page Verdant draws.
     */
    public static String pageStart(String title) {
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
                <link rel="icon" href="data:,">
                """ + "<title>" + escape(title) + "</title>\n<style>\n" + CSS + "</style>\n</head>\n<body>\n<main>\n";
    }

    /** The page's heading with Verdant's leaf. */
    public static String heading(String title) {
        return "<h1>" + LEAF + ' ' + escape(title) + "</h1>\n";
    }

    /** The end of a Verdant page, from its footer. */
    public static String pageEnd() {
        return "<footer>Generated by Verdant. This page is self-contained: no script, no fonts, no requests."
                + "</footer>\n</main>\n</body>\n</html>\n";
    }

    private static void header(StringBuilder html, Report report) {
        html.append("<header>\n").append(heading(report.title())).append("<p class=\"sub\">");
        List<String> parts = new ArrayList<>();
        if (report.run() != null) {
            parts.add(escape(report.run().tool()));
            if (report.run().startedAt() != null) {
                parts.add(escape(report.run().startedAt()));
            }
            if (report.run().durationSeconds() > 0) {
                parts.add(String.format(Locale.ROOT, "%.1f s", report.run().durationSeconds()));
            }
        }
        if (report.machine() != null) {
            parts.add(escape(report.machine().cpuModel() + ", " + report.machine().logicalCpus() + " CPUs"
                    + (report.machine().onnxRuntime() == null ? "" : ", ONNX Runtime " + report.machine().onnxRuntime())));
        }
        html.append(String.join(" · ", parts)).append("</p>\n");
        if (report.run() != null && report.run().command() != null && !report.run().command().isBlank()) {
            html.append("<p class=\"sub\"><code>").append(escape(report.run().command())).append("</code></p>\n");
        }
        html.append("</header>\n");
        if (!report.findings().isEmpty()) {
            html.append("<ul class=\"findings\">\n");
            report.findings().forEach(f -> html.append("<li>").append(escape(f)).append("</li>\n"));
            html.append("</ul>\n");
        }
    }

    private static void cards(StringBuilder html, Report report) {
        html.append("<div class=\"cards\">\n");
        GreenAiCard card = report.card();
        if (card != null) {
            html.append("<section class=\"card\" id=\"green-ai-card\">\n<h2>Green AI card: ")
                    .append(escape(card.model())).append("</h2>\n<dl>\n");
            row(html, card.accuracyMetric() == null ? "Accuracy" : capitalize(card.accuracyMetric()),
                    card.accuracy() == null ? "not measured in this run" : HtmlText.percent(card.accuracy()));
            row(html, "Parameters", HtmlText.count(card.params()));
            row(html, "MACs per inference", HtmlText.count(card.macs()));
            row(html, "FLOPs per inference", HtmlText.count(card.flops()));
            html.append("<dt>Energy per inference</dt><dd>").append(joules(card.energyJoulesPerInference()))
                    .append(' ').append(badge(card.energyMethod())).append("</dd>\n");
            row(html, "CO2e per million inferences", grams(card.co2eGramsPerMillionInferences()));
            row(html, "Training energy", card.trainingEnergyJoules() == null ? "not known (not trained by Verdant)"
                    : joules(card.trainingEnergyJoules()));
            row(html, "Hardware", card.hardware() == null ? "not recorded" : escape(card.hardware()));
            html.append("</dl>\n<p class=\"sub\">After Schwartz et al., “Green AI” (CACM 2020): a result is reported "
                    + "with what it costs.</p>\n</section>\n");
        }
        if (report.energy() != null) {
            html.append("<section class=\"card\" id=\"energy-method\">\n<h2>Energy and CO2e</h2>\n<dl>\n");
            html.append("<dt>Method</dt><dd>").append(badge(report.energy().method())).append("</dd>\n");
            row(html, "Scope", escape(report.energy().scope()));
            row(html, "Grid", escape(report.energy().grid()));
            row(html, "Intensity", String.format(Locale.ROOT, "%.0f gCO2e/kWh", report.energy().gridGramsPerKilowattHour()));
            row(html, "PUE", String.format(Locale.ROOT, "%.2f", report.energy().pue()));
            html.append("</dl>\n</section>\n");
        }
        html.append("</div>\n");
    }

    private static void paretoSection(StringBuilder html, Report report, Objectives objectives) {
        long onFront = report.candidates().stream().filter(Candidate::pareto).count();
        html.append("<section id=\"pareto\">\n<h2>Pareto front</h2>\n<figure>\n")
                .append(SvgCharts.pareto(report.candidates(), objectives))
                .append("<figcaption>").append(onFront).append(" of ").append(report.candidates().size())
                .append(" candidates are on the front (filled, joined): no other candidate is at least as good on both ")
                .append(escape(objectives.x().axisTitle())).append(" and ").append(escape(objectives.y().axisTitle()))
                .append(" and better on one. Hover a point for its figures.</figcaption>\n</figure>\n</section>\n");
    }

    private static void candidatesTable(StringBuilder html, Report report, Optional<Objectives> objectives) {
        if (report.candidates().isEmpty()) {
            return;
        }
        html.append("<section id=\"candidates\">\n<h2>Candidates</h2>\n<div class=\"scroll\"><table>\n<thead><tr>"
                + "<th>candidate</th><th class=\"text\">configuration</th><th>accuracy</th><th>size</th>"
                + "<th title=\"mean time per inference\">ms/inf</th><th title=\"median run\">p50 ms</th>"
                + "<th title=\"99th percentile run\">p99 ms</th><th title=\"inferences per second\">inf/s</th>"
                + "<th title=\"process peak resident memory\">peak mem</th>"
                + "<th title=\"energy per inference\">mJ/inf</th>"
                + "<th title=\"grams CO2e per million inferences\">gCO2e/M</th><th>energy</th><th>Pareto</th></tr>"
                + "</thead>\n<tbody>\n");
        for (Candidate c : report.candidates()) {
            html.append(c.pareto() ? "<tr class=\"front\">" : "<tr>")
                    .append("<td>").append(escape(c.name())).append("</td>")
                    .append("<td class=\"text\">").append(escape(c.configuration())).append("</td>")
                    .append("<td>").append(HtmlText.percent(c.accuracy())).append("</td>")
                    .append("<td>").append(HtmlText.megabytes(c.sizeBytes())).append("</td>")
                    .append("<td>").append(HtmlText.number(c.latencyMillis(), 4)).append("</td>")
                    .append("<td>").append(HtmlText.number(c.p50Millis(), 4)).append("</td>")
                    .append("<td>").append(HtmlText.number(c.p99Millis(), 4)).append("</td>")
                    .append("<td>").append(HtmlText.number(c.inferencesPerSecond(), 4)).append("</td>")
                    .append("<td>").append(HtmlText.megabytes(c.peakResidentBytes())).append("</td>")
                    .append("<td>").append(HtmlText.number(scale(c.energyJoulesPerInference(), 1e3), 4)).append("</td>")
                    .append("<td>").append(HtmlText.number(c.co2eGramsPerMillionInferences(), 4)).append("</td>")
                    .append("<td>").append(badge(c.energyMethod())).append("</td>")
                    .append("<td>").append(objectives.isEmpty() ? HtmlText.UNKNOWN : c.pareto() ? "&#9733;" : "")
                    .append("</td></tr>\n");
        }
        html.append("</tbody></table></div>\n</section>\n");
    }

    private static void barSection(StringBuilder html, Report report) {
        Map<String, String> colours = SvgCharts.colours(report.candidates());
        List<SvgCharts.Bar> sizes = new ArrayList<>();
        for (ModelEntry model : report.models()) {
            if (model.sizeBytes() != null) {
                sizes.add(new SvgCharts.Bar(model.name(), model.sizeBytes() / 1e6,
                        colours.getOrDefault(model.name(), SvgCharts.PALETTE.get(sizes.size() % SvgCharts.PALETTE.size()))));
            }
        }
        List<SvgCharts.Bar> latency = new ArrayList<>();
        List<SvgCharts.Bar> energy = new ArrayList<>();
        for (Candidate c : report.candidates()) {
            String colour = colours.get(c.model());
            if (c.latencyMillis() != null) {
                latency.add(new SvgCharts.Bar(c.name(), c.latencyMillis(), colour));
            }
            if (c.energyJoulesPerInference() != null) {
                energy.add(new SvgCharts.Bar(c.name(), c.energyJoulesPerInference() * 1e3, colour));
            }
        }
        if (sizes.isEmpty() && latency.isEmpty() && energy.isEmpty()) {
            return;
        }
        html.append("<section id=\"bars\">\n<h2>Size, time and energy</h2>\n<div class=\"two\">\n");
        figure(html, sizes, "size-bars", "Model size", "MB");
        figure(html, latency, "latency-bars", "Time per inference", "ms");
        figure(html, energy, "energy-bars", "Energy per inference", "mJ");
        html.append("</div>\n</section>\n");
    }

    private static void figure(StringBuilder html, List<SvgCharts.Bar> bars, String id, String title, String unit) {
        if (!bars.isEmpty()) {
            html.append("<figure>\n").append(SvgCharts.bars(id, title, unit, bars)).append("<figcaption>")
                    .append(escape(title)).append(" (").append(escape(unit)).append(")</figcaption>\n</figure>\n");
        }
    }

    private static void modelsTable(StringBuilder html, Report report) {
        if (report.models().isEmpty()) {
            return;
        }
        boolean byType = report.models().stream().anyMatch(m -> !m.bytesByType().isEmpty());
        html.append("<section id=\"models\">\n<h2>Models</h2>\n<div class=\"scroll\"><table>\n<thead><tr><th>model</th>"
                + "<th class=\"text\">role</th><th>size</th>"
                + (byType ? "<th class=\"text\">stored tensors by type</th>" : "")
                + "<th>params</th><th>quantized params</th><th>MACs / inference</th>"
                + "<th>FLOPs / inference</th><th>training energy</th></tr></thead>\n<tbody>\n");
        for (ModelEntry m : report.models()) {
            html.append("<tr><td>").append(escape(m.name())).append("</td><td class=\"text\">").append(escape(m.role()))
                    .append("</td><td>").append(HtmlText.megabytes(m.sizeBytes()))
                    .append(byType ? "</td><td class=\"text\">" + escape(bytesByType(m)) : "")
                    .append("</td><td>").append(HtmlText.count(m.params()))
                    .append("</td><td>").append(HtmlText.count(m.quantizedParams()))
                    .append("</td><td>").append(HtmlText.count(m.macs()))
                    .append("</td><td>").append(HtmlText.count(m.flops()))
                    .append("</td><td>").append(joules(m.trainingEnergyJoules())).append("</td></tr>\n");
        }
        html.append("</tbody></table></div>\n</section>\n");
    }

    /**
     * A model's stored tensors by type, largest first ({@code float 90.85 MB, int64 5.26 kB}), so that a table left
     * in float after quantizing shows.
     */
    private static String bytesByType(ModelEntry m) {
        if (m.bytesByType().isEmpty()) {
            return HtmlText.UNKNOWN;
        }
        return String.join(", ", m.bytesByType().entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> e.getKey() + " " + Units.bytes(e.getValue())).toList());
    }

    private static void layersTable(StringBuilder html, Report report) {
        html.append("<section id=\"layers\">\n<h2>Per-layer view</h2>\n");
        if (report.layers().isEmpty()) {
            html.append("<p class=\"sub\">No per-layer figures in this result (a benchmark measures whole models; "
                    + "compress and optimize results list their layers).</p>\n</section>\n");
            return;
        }
        html.append("<div class=\"scroll\"><table>\n<thead><tr><th>layer</th><th class=\"text\">op</th><th>params</th>"
                + "<th>sparsity</th><th>bits</th><th>MACs</th></tr></thead>\n<tbody>\n");
        for (LayerRow layer : report.layers()) {
            html.append("<tr><td>").append(escape(layer.name())).append("</td><td class=\"text\">")
                    .append(escape(layer.opType())).append("</td><td>").append(HtmlText.count(layer.params()))
                    .append("</td><td>").append(HtmlText.percent(layer.sparsity()))
                    .append("</td><td>").append(layer.bits() == null ? HtmlText.UNKNOWN : layer.bits().toString())
                    .append("</td><td>").append(HtmlText.count(layer.macs())).append("</td></tr>\n");
        }
        html.append("</tbody></table></div>\n</section>\n");
    }

    private static void methodSection(StringBuilder html, Report report) {
        List<String> lines = new ArrayList<>();
        if (report.run() != null && report.run().inputs() != null) {
            lines.add("Inputs: " + report.run().inputs());
        }
        if (report.energy() != null) {
            report.energy().assumptions().forEach(a -> lines.add("Energy: " + a));
        }
        lines.addAll(report.notes());
        if (report.machine() != null) {
            lines.add("Machine: " + report.machine().cpuModel() + ", " + report.machine().logicalCpus() + " CPUs, "
                    + String.format(Locale.ROOT, "%.1f GB RAM", report.machine().memoryBytes() / 1e9) + ", "
                    + report.machine().os() + ", " + report.machine().jvm());
        }
        if (lines.isEmpty()) {
            return;
        }
        html.append("<section id=\"method\">\n<h2>How these figures were obtained</h2>\n<ul class=\"notes\">\n");
        lines.forEach(l -> html.append("<li>").append(escape(l)).append("</li>\n"));
        html.append("</ul>\n</section>\n");
    }

    /** The options the run used (its effective config), and how to repeat it from its report. */
    private static void configSection(StringBuilder html, Report report) {
        if (report.run() == null || report.run().config().isEmpty()) {
            return;
        }
        html.append("<section id=\"config\">\n<h2>Options this run used</h2>\n<p class=\"sub\">After the command's "
                + "defaults, its config file and its command line. Repeat the run with <code>")
                .append(escape(report.run().tool())).append(" --config report.json</code> (the JSON of this page), "
                        + "changing any option on the command line.</p>\n<div class=\"scroll\"><table>\n"
                        + "<tr><th>key</th><th class=\"text\">value</th></tr>\n");
        report.run().config().forEach((key, value) -> html.append("<tr><td>").append(escape(key))
                .append("</td><td class=\"text\"><code>").append(escape(configText(value))).append("</code></td></tr>\n"));
        html.append("</table></div>\n</section>\n");
    }

    private static String configText(Object value) {
        if (value instanceof List<?> list) {
            return String.join(", ", list.stream().map(HtmlReport::configText).toList());
        }
        if (value instanceof Map<?, ?> map) {
            List<String> pairs = new ArrayList<>();
            map.forEach((k, v) -> pairs.add(k + "=" + configText(v)));
            return String.join(", ", pairs);
        }
        return String.valueOf(value);
    }

    private static void row(StringBuilder html, String term, String escapedValue) {
        html.append("<dt>").append(escape(term)).append("</dt><dd>").append(escapedValue).append("</dd>\n");
    }

    private static String badge(String method) {
        if (method == null || method.isBlank()) {
            return HtmlText.UNKNOWN;
        }
        String css = method.equals("measured") ? "measured" : "estimated";
        return "<span class=\"badge " + css + "\">" + escape(method) + "</span>";
    }

    private static String joules(Double joules) {
        if (joules == null) {
            return HtmlText.UNKNOWN;
        }
        double abs = Math.abs(joules);
        if (abs >= 3.6e6) {
            return HtmlText.number(joules / 3.6e6, 4) + " kWh";
        }
        return abs >= 1 || abs == 0 ? HtmlText.number(joules, 4) + " J" : HtmlText.number(joules * 1e3, 4) + " mJ";
    }

    private static String grams(Double grams) {
        return grams == null ? HtmlText.UNKNOWN : HtmlText.number(grams, 4) + " g";
    }

    private static Double scale(Double value, double factor) {
        return value == null ? null : value * factor;
    }

    private static String capitalize(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
