package dev.verdant.charts;

import static dev.verdant.report.HtmlText.escape;

import dev.verdant.report.HtmlReport;
import dev.verdant.report.HtmlText;
import java.awt.BasicStroke;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.time.FixedMillisecond;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;

/**
 * The page of what {@code verdant track} recorded over time, from {@code emissions.csv} or runs' JSON files:
 * cumulative emissions by project (a filled point a measured run, a hollow one an estimated run), energy of each
 * run by component, energy by project and component, and every run in a table with its method.
 */
public final class EmissionsPage {

    /** The most runs drawn one bar each; the table still lists every run. */
    static final int MAX_BARS = 60;

    private static final List<String> COMPONENTS = List.of("cpu", "gpu", "ram");

    private EmissionsPage() {
    }

    /** The page for {@code runs} read from {@code sources}, times in {@code zone}. */
    public static String render(List<RecordedRun> runs, List<String> sources, ZoneId zone) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no runs to draw");
        }
        List<RecordedRun> byTime = runs.stream().sorted(Comparator.comparing(RecordedRun::end)).toList();
        DateTimeFormatter when = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(zone);
        long measured = byTime.stream().filter(r -> r.method().equals("measured")).count();
        double joules = byTime.stream().mapToDouble(RecordedRun::totalJoules).sum();
        double grams = byTime.stream().mapToDouble(RecordedRun::emissionsGrams).sum();
        String title = "Energy and emissions of " + byTime.size() + (byTime.size() == 1 ? " tracked run" : " tracked runs");

        StringBuilder html = new StringBuilder(128 * 1024);
        html.append(HtmlReport.pageStart(title));
        html.append("<header>\n").append(HtmlReport.heading(title)).append("<p class=\"sub\">")
                .append(escape(String.join(", ", sources))).append(" · ")
                .append(escape(when.format(byTime.getFirst().end()))).append(" to ")
                .append(escape(when.format(byTime.getLast().end()))).append(" (").append(escape(zone.getId()))
                .append(")</p>\n</header>\n");
        html.append("<ul class=\"findings\">\n<li>").append(HtmlText.number(joules / 1000, 4))
                .append(" kJ of IT energy, ").append(HtmlText.number(grams, 4)).append(" g CO2e in all</li>\n<li>")
                .append(measured).append(" measured, ").append(byTime.size() - measured)
                .append(" estimated (").append(methodNote(sources)).append(")</li>\n</ul>\n");

        html.append("<h2>Cumulative emissions by project</h2>\n<figure>")
                .append(SvgChart.svg(cumulativeEmissions(byTime, zone), "emissions-over-time", 1060, 420,
                        "Cumulative emissions in grams CO2e over time, one line a project"))
                .append("<figcaption>Each point is a run's end; filled: measured by hardware counters, hollow: "
                        + "estimated from CPU time and published power figures.</figcaption></figure>\n");

        List<RecordedRun> drawn = byTime.size() > MAX_BARS ? byTime.subList(byTime.size() - MAX_BARS, byTime.size())
                : byTime;
        html.append("<h2>Energy of each run by component</h2>\n<figure>")
                .append(SvgChart.svg(energyPerRun(drawn, when), "energy-per-run", 1060, 440,
                        "IT energy of each run in joules, stacked by component"))
                .append("<figcaption>").append(drawn.size() < byTime.size() ? "The last " + drawn.size() + " of "
                        + byTime.size() + " runs, in time order; " : "In time order; ")
                .append("an asterisk marks an estimated run.</figcaption></figure>\n");

        html.append("<h2>Energy by project and component</h2>\n<figure>")
                .append(SvgChart.svg(energyPerProject(byTime), "energy-per-project", 1060, 360,
                        "IT energy of each project in joules, stacked by component"))
                .append("</figure>\n");

        runsTable(html, byTime, when);
        html.append(HtmlReport.pageEnd());
        return html.toString();
    }

    private static String methodNote(List<String> sources) {
        return sources.stream().anyMatch(s -> s.endsWith(".csv"))
                ? "from emissions.csv's tracking_mode: process = estimated, machine = hardware counters; a run's JSON "
                  + "tells each component's method"
                : "as each run's JSON states it";
    }

    private static JFreeChart cumulativeEmissions(List<RecordedRun> runs, ZoneId zone) {
        Map<String, TimeSeries> series = new LinkedHashMap<>();
        Map<String, List<Boolean>> filled = new LinkedHashMap<>();
        Map<String, Double> total = new LinkedHashMap<>();
        for (RecordedRun run : runs) {
            String project = run.projectLabel();
            TimeSeries line = series.computeIfAbsent(project, TimeSeries::new);
            double sum = total.merge(project, run.emissionsGrams(), Double::sum);
            // two runs ending in the same millisecond: the later one's total stands
            line.addOrUpdate(new FixedMillisecond(Date.from(run.end())), sum);
            filled.computeIfAbsent(project, p -> new ArrayList<>()).add(run.method().equals("measured"));
        }
        TimeSeriesCollection dataset = new TimeSeriesCollection(TimeZone.getTimeZone(zone));
        series.values().forEach(dataset::addSeries);
        JFreeChart chart = ChartFactory.createTimeSeriesChart(null, "run end (" + zone.getId() + ")",
                "g CO2e, cumulative", dataset, true, false, false);
        XYPlot plot = chart.getXYPlot();
        ((DateAxis) plot.getDomainAxis()).setTimeZone(TimeZone.getTimeZone(zone));
        List<List<Boolean>> filledBySeries = new ArrayList<>(filled.values());
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true) {
            @Override
            public boolean getItemShapeFilled(int seriesIndex, int item) {
                List<Boolean> flags = filledBySeries.get(seriesIndex);
                return item < flags.size() && flags.get(item);
            }
        };
        renderer.setUseOutlinePaint(false);
        renderer.setDrawOutlines(true);
        for (int i = 0; i < series.size(); i++) {
            renderer.setSeriesPaint(i, SvgChart.colour(i));
            renderer.setSeriesStroke(i, new BasicStroke(2f));
            renderer.setSeriesShape(i, new java.awt.geom.Ellipse2D.Double(-4, -4, 8, 8));
        }
        plot.setRenderer(renderer);
        return SvgChart.styled(chart);
    }

    private static JFreeChart energyPerRun(List<RecordedRun> runs, DateTimeFormatter when) {
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        Set<String> labels = new LinkedHashSet<>();
        int n = 0;
        for (RecordedRun run : runs) {
            n++;
            String label = n + ". " + when.format(run.end()).substring(11)
                    + (run.name().isBlank() ? "" : " " + shorten(run.name())) + (run.method().equals("measured") ? "" : "*");
            labels.add(label);
            for (String component : components(runs)) {
                dataset.addValue(run.energyJoules().getOrDefault(component, 0.0), component, label);
            }
        }
        JFreeChart chart = ChartFactory.createStackedBarChart(null, null, "IT energy (J)", dataset,
                PlotOrientation.VERTICAL, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        plot.getDomainAxis().setMaximumCategoryLabelLines(1);
        bars(plot, dataset.getRowCount());
        return SvgChart.styled(chart);
    }

    private static JFreeChart energyPerProject(List<RecordedRun> runs) {
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        Map<String, Map<String, Double>> byProject = new LinkedHashMap<>();
        for (RecordedRun run : runs) {
            Map<String, Double> sums = byProject.computeIfAbsent(run.projectLabel(), p -> new LinkedHashMap<>());
            run.energyJoules().forEach((component, value) -> sums.merge(component, value, Double::sum));
        }
        for (Map.Entry<String, Map<String, Double>> project : byProject.entrySet()) {
            for (String component : components(runs)) {
                dataset.addValue(project.getValue().getOrDefault(component, 0.0), component, project.getKey());
            }
        }
        JFreeChart chart = ChartFactory.createStackedBarChart(null, null, "IT energy (J)", dataset,
                PlotOrientation.HORIZONTAL, true, false, false);
        bars(chart.getCategoryPlot(), dataset.getRowCount());
        return SvgChart.styled(chart);
    }

    /** The components any run has, in cpu, gpu, ram order. */
    private static List<String> components(List<RecordedRun> runs) {
        return COMPONENTS.stream().filter(c -> runs.stream().anyMatch(r -> r.energyJoules().containsKey(c))).toList();
    }

    private static void bars(CategoryPlot plot, int series) {
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDrawBarOutline(false);
        renderer.setMaximumBarWidth(0.06);
        for (int i = 0; i < series; i++) {
            renderer.setSeriesPaint(i, SvgChart.colour(i));
        }
    }

    private static String shorten(String text) {
        return text.length() <= 18 ? text : text.substring(0, 17) + "…";
    }

    private static void runsTable(StringBuilder html, List<RecordedRun> runs, DateTimeFormatter when) {
        html.append("<h2>Runs</h2>\n<div class=\"scroll\"><table id=\"runs\">\n<tr><th>ended</th>"
                + "<th class=\"text\">project</th><th class=\"text\">run</th><th class=\"text\">run id</th>"
                + "<th>duration (s)</th><th>CPU (J)</th><th>GPU (J)</th><th>RAM (J)</th><th>IT energy (J)</th>"
                + "<th>g CO2e</th><th class=\"text\">method</th></tr>\n");
        for (RecordedRun run : runs) {
            html.append("<tr><td>").append(escape(when.format(run.end()))).append("</td><td class=\"text\">")
                    .append(escape(run.projectLabel())).append("</td><td class=\"text\">").append(escape(run.name()))
                    .append("</td><td class=\"text\"><code>").append(escape(run.runId().length() > 8
                            ? run.runId().substring(0, 8) : run.runId())).append("</code></td><td>")
                    .append(String.format(Locale.ROOT, "%.2f", run.durationSeconds()));
            for (String component : COMPONENTS) {
                Double value = run.energyJoules().get(component);
                html.append("</td><td>").append(value == null ? HtmlText.UNKNOWN : HtmlText.number(value, 4));
            }
            html.append("</td><td>").append(HtmlText.number(run.totalJoules(), 4)).append("</td><td>")
                    .append(HtmlText.number(run.emissionsGrams(), 4)).append("</td><td class=\"text\">")
                    .append("<span class=\"badge ").append(run.method().equals("measured") ? "measured" : "estimated")
                    .append("\">").append(escape(run.method())).append("</span></td></tr>\n");
        }
        html.append("</table></div>\n");
    }
}
