package dev.verdant.charts;

import static dev.verdant.report.HtmlText.escape;

import dev.verdant.report.HtmlReport;
import dev.verdant.report.HtmlText;
import java.awt.BasicStroke;
import java.awt.Color;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.Locale;
import java.util.TimeZone;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.time.FixedMillisecond;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;

/**
 * The page of a {@code verdant schedule --json} result: each region's forecast as a step curve over the allowed
 * window, the chosen window shaded and labelled with its average intensity, the run-now window shaded grey, and
 * the intensity saved.
 */
public final class SchedulePage {

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final Color CHOSEN = new Color(0x1b, 0x78, 0x37, 60);
    private static final Color NOW = new Color(0x80, 0x80, 0x80, 50);

    private SchedulePage() {
    }

    /** The page for {@code plan}, read from {@code source}. */
    public static String render(SchedulePlan plan, String source) {
        SchedulePlan.Window chosen = plan.chosen();
        String title = "Carbon-aware schedule: " + chosen.region() + ", " + UTC.format(chosen.start()) + " UTC";
        StringBuilder html = new StringBuilder(64 * 1024);
        html.append(HtmlReport.pageStart(title));
        html.append("<header>\n").append(HtmlReport.heading(title)).append("<p class=\"sub\">")
                .append(escape(source)).append(" · forecast: ").append(escape(plan.source())).append(" · allowed ")
                .append(escape(UTC.format(plan.windowStart()))).append(" to ")
                .append(escape(UTC.format(plan.windowEnd()))).append(" UTC</p>\n</header>\n");
        html.append("<ul class=\"findings\">\n<li id=\"chosen\">Chosen: ").append(escape(window(chosen)))
                .append("</li>\n<li>Run now: ").append(escape(window(plan.runNow()))).append("</li>\n<li id=\"saving\">")
                .append(HtmlText.number(plan.savingPercent(), 3)).append("% lower carbon intensity than running now (")
                .append(HtmlText.number(plan.runNow().averageIntensity() - chosen.averageIntensity(), 4))
                .append(" gCO2e/kWh saved)</li>\n</ul>\n");
        html.append("<h2>Forecast and the chosen window</h2>\n<figure>")
                .append(SvgChart.svg(forecastChart(plan), "forecast-chart", 1060, 460,
                        "Carbon intensity forecast per region with the chosen window shaded"))
                .append("<figcaption>Each curve is a region's forecast intensity (gCO2e/kWh), constant over each "
                        + "forecast interval. Green: the chosen window; grey: running now in ")
                .append(escape(plan.runNow().region())).append(".</figcaption></figure>\n");
        html.append("<h2>Regions</h2>\n<div class=\"scroll\"><table id=\"regions\">\n<tr><th class=\"text\">region</th>"
                + "<th class=\"text\">best start (UTC)</th><th>best g/kWh</th><th>now g/kWh</th><th>saving</th></tr>\n");
        for (SchedulePlan.Region region : plan.regions()) {
            double saving = region.now().averageIntensity() == 0 ? 0
                    : 100 * (1 - region.best().averageIntensity() / region.now().averageIntensity());
            html.append("<tr><td class=\"text\">").append(escape(region.region())).append("</td><td class=\"text\">")
                    .append(escape(UTC.format(region.best().start()))).append("</td><td>")
                    .append(HtmlText.number(region.best().averageIntensity(), 4)).append("</td><td>")
                    .append(HtmlText.number(region.now().averageIntensity(), 4)).append("</td><td>")
                    .append(HtmlText.number(saving, 3)).append("%</td></tr>\n");
        }
        html.append("</table></div>\n");
        html.append(HtmlReport.pageEnd());
        return html.toString();
    }

    private static String window(SchedulePlan.Window w) {
        return w.region() + ", " + UTC.format(w.start()) + " to " + UTC.format(w.end()) + " UTC, "
                + HtmlText.number(w.averageIntensity(), 4) + " gCO2e/kWh on average";
    }

    private static JFreeChart forecastChart(SchedulePlan plan) {
        TimeSeriesCollection dataset = new TimeSeriesCollection(TimeZone.getTimeZone(ZoneOffset.UTC));
        for (SchedulePlan.Region region : plan.regions()) {
            TimeSeries series = new TimeSeries(region.region());
            SchedulePlan.Point last = null;
            for (SchedulePlan.Point point : region.forecast()) {
                series.addOrUpdate(new FixedMillisecond(Date.from(point.start())), point.intensity());
                last = point;
            }
            if (last != null) { // the last interval's end, so its step is drawn to the end
                series.addOrUpdate(new FixedMillisecond(Date.from(last.end())), last.intensity());
            }
            dataset.addSeries(series);
        }
        JFreeChart chart = ChartFactory.createTimeSeriesChart(null, "time (UTC)", "carbon intensity (gCO2e/kWh)",
                dataset, true, false, false);
        XYPlot plot = chart.getXYPlot();
        DateAxis axis = (DateAxis) plot.getDomainAxis();
        axis.setTimeZone(TimeZone.getTimeZone(ZoneOffset.UTC));
        axis.setRange(Date.from(plan.windowStart()), Date.from(plan.windowEnd()));
        ((org.jfree.chart.axis.NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(true);
        XYStepRenderer renderer = new XYStepRenderer();
        for (int i = 0; i < plan.regions().size(); i++) {
            renderer.setSeriesPaint(i, SvgChart.colour(i));
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        plot.setRenderer(renderer);
        plot.addDomainMarker(marker(plan.runNow(), NOW, "run now", TextAnchor.TOP_LEFT), Layer.BACKGROUND);
        plot.addDomainMarker(marker(plan.chosen(), CHOSEN, "chosen: " + plan.chosen().region() + ", "
                + HtmlText.number(plan.chosen().averageIntensity(), 4) + " g/kWh", TextAnchor.TOP_LEFT), Layer.BACKGROUND);
        return SvgChart.styled(chart);
    }

    private static IntervalMarker marker(SchedulePlan.Window window, Color colour, String label, TextAnchor anchor) {
        IntervalMarker marker = new IntervalMarker(window.start().toEpochMilli(),
                Math.max(window.end().toEpochMilli(), window.start().toEpochMilli() + Duration.ofMinutes(1).toMillis()));
        marker.setPaint(colour);
        marker.setLabel(label);
        marker.setLabelFont(SvgChart.TEXT);
        marker.setLabelPaint(SvgChart.INK);
        marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
        marker.setLabelTextAnchor(anchor);
        marker.setLabelBackgroundColor(new Color(0, 0, 0, 0));
        return marker;
    }
}
